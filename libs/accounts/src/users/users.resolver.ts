import type { OnModuleInit } from '@nestjs/common';
import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { NodeRegistry, isUuid } from '@boardroom/core';
import { CurrentUser } from '../auth/auth.decorators.js';
import { Role, isStaff } from '../roles.js';
import { UserDto } from './dto/user.dto.js';
import type { UserRecord, Viewer } from './user.record.js';
import { UsersService } from './users.service.js';

@Resolver(() => UserDto)
export class UsersResolver implements OnModuleInit {
  constructor(
    private readonly users: UsersService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    // Profiles are public, as through user(handle:).
    this.nodes.register('User', UserDto, async (id, context) => {
      const user = isUuid(id) ? await this.users.findById(id) : null;
      return profileFor(user, (context.user as Viewer | null) ?? null);
    });
  }

  @Query(() => UserDto, { nullable: true, description: 'The signed-in user, or null.' })
  async me(@CurrentUser() viewer: Viewer | null): Promise<UserDto | null> {
    const user = viewer ? await this.users.findById(viewer.id) : null;
    return user ? UserDto.from(user) : null;
  }

  @Query(() => UserDto, { nullable: true, description: 'A public profile by handle (any case).' })
  async user(@Args('handle') handle: string, @CurrentUser() viewer: Viewer | null): Promise<UserDto | null> {
    return profileFor(await this.users.findByHandle(handle), viewer);
  }

  @ResolveField(() => String, { nullable: true, description: 'The user and admins only.' })
  email(@Parent() user: UserDto, @CurrentUser() viewer: Viewer | null): string | null {
    return this.users.canSeePrivate(viewer, user.record) ? user.record.email : null;
  }

  @ResolveField(() => Boolean, { nullable: true, description: 'The user and admins only.' })
  emailVerified(@Parent() user: UserDto, @CurrentUser() viewer: Viewer | null): boolean | null {
    return this.users.canSeePrivate(viewer, user.record) ? user.record.emailVerified : null;
  }

  @ResolveField(() => [Role], { nullable: true, description: 'The user and admins only.' })
  roles(@Parent() user: UserDto, @CurrentUser() viewer: Viewer | null): Role[] | null {
    return this.users.canSeePrivate(viewer, user.record) ? user.record.roles : null;
  }
}

/** A profile as the viewer may see it: a banned user's is gone for everyone but staff, like their photos and comments. */
function profileFor(user: UserRecord | null, viewer: Viewer | null): UserDto | null {
  return user && (!user.bannedAt || isStaff(viewer)) ? UserDto.from(user) : null;
}
