import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, type Viewer } from '@boardroom/accounts';
import { AccountErasure } from './account-erasure.service.js';

@Resolver()
export class AccountErasureResolver {
  constructor(private readonly erasure: AccountErasure) {}

  @Mutation(() => Boolean, {
    description:
      'Erases your account: email, handle, names, photos, comments’ text and fingerprints. Your shares stay in the brands’ history under an anonymous tombstone. UNAUTHENTICATED when the password is wrong (nothing changes).',
  })
  @Authenticated()
  deleteMyAccount(@Args('password') password: string, @CurrentUser() viewer: Viewer): Promise<boolean> {
    return this.erasure.deleteMyAccount(viewer, password);
  }
}
