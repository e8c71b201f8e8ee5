import { Module } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, Role, Roles, type Viewer } from '@boardroom/accounts';

/** Test-only operations behind the account guards: the real guard, a stand-in operation. */
@Resolver()
export class AuthProbeResolver {
  @Query(() => String, { description: 'The id of the signed-in user; UNAUTHENTICATED without one.' })
  @Authenticated()
  probeSignedIn(@CurrentUser() viewer: Viewer | null): string {
    return viewer!.id;
  }

  @Query(() => Boolean, { description: 'Only for ADMIN.' })
  @Roles(Role.ADMIN)
  probeAdminOnly(): boolean {
    return true;
  }
}

@Module({ providers: [AuthProbeResolver] })
export class AuthProbeModule {}
