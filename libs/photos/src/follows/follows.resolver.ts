import { Args, Context, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, Client, CurrentUser, UserDto, type ClientInfo, type Viewer } from '@boardroom/accounts';
import { FollowLoaders } from './follow-loaders.js';
import { FollowsService } from './follows.service.js';

/** follow / unfollow, and the follow counts of User. */
@Resolver(() => UserDto)
export class FollowsResolver {
  constructor(
    private readonly follows: FollowsService,
    private readonly loaders: FollowLoaders,
  ) {}

  @Mutation(() => UserDto, { description: 'Returns the followed user; following twice is not an error.' })
  @Authenticated()
  async follow(
    @Args('handle') handle: string,
    @CurrentUser() viewer: Viewer,
    @Client() client: ClientInfo,
  ): Promise<UserDto> {
    return UserDto.from(await this.follows.follow(viewer, handle, client));
  }

  @Mutation(() => UserDto, { description: 'Returns the user; unfollowing someone not followed is not an error.' })
  @Authenticated()
  async unfollow(
    @Args('handle') handle: string,
    @CurrentUser() viewer: Viewer,
    @Client() client: ClientInfo,
  ): Promise<UserDto> {
    return UserDto.from(await this.follows.unfollow(viewer, handle, client));
  }

  @ResolveField(() => Int)
  followerCount(@Parent() user: UserDto, @Context() context: object): Promise<number> {
    return this.loaders.count(context, 'followers', user.record.id);
  }

  @ResolveField(() => Int)
  followingCount(@Parent() user: UserDto, @Context() context: object): Promise<number> {
    return this.loaders.count(context, 'following', user.record.id);
  }
}
