import { Context, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, Client, CurrentUser, type ClientInfo } from '../auth/auth.decorators.js';
import { UserDto } from '../users/dto/user.dto.js';
import type { Viewer } from '../users/user.record.js';
import { UsersService } from '../users/users.service.js';
import { InviteDto } from './dto/invite.dto.js';
import { InvitesService } from './invites.service.js';

@Resolver(() => InviteDto)
export class InvitesResolver {
  constructor(
    private readonly invites: InvitesService,
    private readonly users: UsersService,
  ) {}

  @Mutation(() => InviteDto, {
    description: 'A new invite of yours. At most 20 unused at once: CONFLICT with reason OPEN_INVITES_LIMIT.',
  })
  @Authenticated()
  async createInvite(@CurrentUser() viewer: Viewer, @Client() client: ClientInfo): Promise<InviteDto> {
    return InviteDto.from(await this.invites.create(viewer, client));
  }

  @ResolveField(() => String, { description: 'The sign-up link: PUBLIC_URL/join?invite=<code>.' })
  url(@Parent() invite: InviteDto): string {
    return this.invites.urlOf(invite.record);
  }

  @ResolveField(() => UserDto, { nullable: true, description: 'Who signed up with it; null while unused.' })
  async acceptedBy(@Parent() invite: InviteDto, @Context() context: object): Promise<UserDto | null> {
    const { inviteeId } = invite.record;
    const user = inviteeId ? await this.users.loadById(context, inviteeId) : null;
    return user ? UserDto.from(user) : null;
  }
}

@Resolver(() => UserDto)
export class UserInvitesResolver {
  constructor(private readonly service: InvitesService) {}

  @ResolveField(() => [InviteDto], {
    nullable: true,
    description: "The user's own invites, newest first: the user and admins only.",
  })
  async invites(
    @Parent() user: UserDto,
    @CurrentUser() viewer: Viewer | null,
    @Context() context: object,
  ): Promise<InviteDto[] | null> {
    const invites = await this.service.listOf(context, viewer, user.record);
    return invites && invites.map((invite) => InviteDto.from(invite));
  }

  @ResolveField(() => Int, { description: 'Invites of this user that qualified. Public.' })
  invitedCount(@Parent() user: UserDto, @Context() context: object): Promise<number> {
    return this.service.invitedCount(context, user.record.id);
  }
}
