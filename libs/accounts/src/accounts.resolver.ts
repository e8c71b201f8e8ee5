import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { RateLimit, type GraphQLRequestContext } from '@boardroom/core';
import { AccountsService } from './accounts.service.js';
import { Client, type ClientInfo } from './auth/auth.decorators.js';
import { AuthPayloadDto } from './dto/auth-payload.dto.js';
import { SignUpInput } from './dto/sign-up.input.js';
import { SessionsService, type IssuedTokens } from './sessions/sessions.service.js';
import type { UserRecord, Viewer } from './users/user.record.js';
import { UserDto } from './users/dto/user.dto.js';
import { UsersService } from './users/users.service.js';

@Resolver()
export class AccountsResolver {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  @Mutation(() => AuthPayloadDto, { description: 'CONFLICT with reason EMAIL_TAKEN or HANDLE_TAKEN.' })
  @RateLimit('signup')
  async signUp(
    @Args('input') input: SignUpInput,
    @Client() client: ClientInfo,
    @Context() context: GraphQLRequestContext,
  ): Promise<AuthPayloadDto> {
    return payload(context, await this.accounts.signUp(input, client));
  }

  @Mutation(() => AuthPayloadDto)
  async logIn(
    @Args('email') email: string,
    @Args('password') password: string,
    @Client() client: ClientInfo,
    @Context() context: GraphQLRequestContext,
  ): Promise<AuthPayloadDto> {
    return payload(context, await this.accounts.logIn(email, password, client));
  }

  @Mutation(() => AuthPayloadDto, {
    description: 'Rotates: the token is used up; a reused token ends its whole session.',
  })
  async refreshSession(
    @Args('refreshToken') refreshToken: string,
    @Client() client: ClientInfo,
    @Context() context: GraphQLRequestContext,
  ): Promise<AuthPayloadDto> {
    const tokens = await this.sessions.refresh(refreshToken, client);
    return payload(context, { ...tokens, user: (await this.users.findById(tokens.userId))! });
  }

  @Mutation(() => Boolean, { description: 'Ends the session of this refresh token.' })
  logOut(@Args('refreshToken') refreshToken: string): Promise<boolean> {
    return this.sessions.logOut(refreshToken);
  }

  @Mutation(() => UserDto)
  async verifyEmail(@Args('token') token: string, @Client() client: ClientInfo): Promise<UserDto> {
    return UserDto.from(await this.accounts.verifyEmail(token, client));
  }

  @Mutation(() => Boolean, { description: 'Always true: whether the address has an account is not disclosed.' })
  async requestPasswordReset(@Args('email') email: string, @Client() client: ClientInfo): Promise<boolean> {
    await this.accounts.requestPasswordReset(email, client);
    return true;
  }

  @Mutation(() => Boolean, { description: 'Ends every session of the user.' })
  async resetPassword(
    @Args('token') token: string,
    @Args('newPassword') newPassword: string,
    @Client() client: ClientInfo,
  ): Promise<boolean> {
    await this.accounts.resetPassword(token, newPassword, client);
    return true;
  }
}

/**
 * The payload of a new or refreshed session. The rest of the request is that session's, so that the
 * payload's `user` shows its private fields (email, roles, wallet, …) to the one who just signed in.
 */
function payload(context: GraphQLRequestContext, result: IssuedTokens & { user: UserRecord }): AuthPayloadDto {
  const viewer: Viewer = { id: result.user.id, roles: result.user.roles, sessionId: result.sessionId };
  context.user = viewer;
  return Object.assign(new AuthPayloadDto(), {
    accessToken: result.accessToken,
    refreshToken: result.refreshToken,
    user: UserDto.from(result.user),
  });
}
