import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AccountsResolver } from './accounts.resolver.js';
import { AccountsService } from './accounts.service.js';
import { AccessTokens } from './auth/access-tokens.js';
import { GraphQLAuthGuard } from './auth/auth.guard.js';
import { JwtKeys } from './auth/jwt-keys.js';
import { JwtStrategy } from './auth/jwt.strategy.js';
import { EmailTokensRepository } from './email-tokens/email-tokens.repository.js';
import { InvitesRepository } from './invites/invites.repository.js';
import { InvitesResolver, UserInvitesResolver } from './invites/invites.resolver.js';
import { InvitesService } from './invites/invites.service.js';
import { MailModule } from './mail/index.js';
import { PasswordHasher, SIMULATION_PASSWORD_HASHER } from './passwords/index.js';
import { SessionsRepository } from './sessions/sessions.repository.js';
import { SessionsService } from './sessions/sessions.service.js';
import { UsersRepository } from './users/users.repository.js';
import { UsersResolver } from './users/users.resolver.js';
import { UsersService } from './users/users.service.js';

/** Users, passwords, sessions, roles, invites, and the guard every GraphQL operation passes. */
@Module({
  imports: [PassportModule, MailModule],
  providers: [
    {
      provide: PasswordHasher,
      useFactory: (simulated?: PasswordHasher) => simulated ?? new PasswordHasher(),
      inject: [{ token: SIMULATION_PASSWORD_HASHER, optional: true }],
    },
    UsersRepository,
    UsersService,
    UsersResolver,
    EmailTokensRepository,
    SessionsRepository,
    SessionsService,
    JwtKeys,
    AccessTokens,
    JwtStrategy,
    AccountsService,
    AccountsResolver,
    InvitesRepository,
    InvitesService,
    InvitesResolver,
    UserInvitesResolver,
    { provide: APP_GUARD, useClass: GraphQLAuthGuard },
  ],
  exports: [UsersService, InvitesService, AccountsService],
})
export class AccountsModule {}
