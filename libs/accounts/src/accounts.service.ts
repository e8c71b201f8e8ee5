import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  AppConfig,
  Clock,
  DomainError,
  EventLog,
  RateLimiter,
  inTransaction,
  sqlState,
  type NewEvent,
} from '@boardroom/core';
import type { ClientInfo } from './auth/auth.decorators.js';
import { EmailTokensRepository } from './email-tokens/email-tokens.repository.js';
import { InvitesService } from './invites/invites.service.js';
import { Mailer, type MailMessage } from './mail/index.js';
import { assertAcceptablePassword } from './passwords/index.js';
import { Role } from './roles.js';
import { SessionsService, type IssuedTokens } from './sessions/sessions.service.js';
import type { SignUpInput } from './dto/sign-up.input.js';
import type { UserRecord } from './users/user.record.js';
import { UsersRepository } from './users/users.repository.js';

const VERIFY_EMAIL_SECONDS = 24 * 3600;
const RESET_PASSWORD_SECONDS = 3600;
const BAD_CREDENTIALS = 'The email or password is incorrect.';

/** Sign-up, log-in, email verification and password reset. */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger(AccountsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly emailTokens: EmailTokensRepository,
    private readonly sessions: SessionsService,
    private readonly events: EventLog,
    private readonly limiter: RateLimiter,
    private readonly mailer: Mailer,
    private readonly invites: InvitesService,
    private readonly clock: Clock,
  ) {}

  async signUp(input: SignUpInput, client: ClientInfo): Promise<IssuedTokens & { user: UserRecord }> {
    assertAcceptablePassword(input.password, { email: input.email, handle: input.handle }, 'input.password');
    const password = await this.users.sealPassword(input.password);
    const { user, tokens, verification } = await inTransaction(this.dataSource, async (manager) => {
      const user = await this.users.create(manager, {
        email: input.email,
        handle: input.handle,
        displayName: input.displayName,
        password,
        // The product's clock, like the sign-up event: an account's age is measured against it.
        createdAt: this.clock.now(),
      });
      // After the user exists (the invite points at it); a bad code rolls the new user back.
      if (input.inviteCode) await this.invites.acceptAtSignUp(manager, input.inviteCode, user.id, client);
      const verification = await this.emailTokens.issue(manager, user.id, 'verify_email', VERIFY_EMAIL_SECONDS);
      await this.events.record(manager, this.accountEvent('account.signed_up', user.id, client));
      return { user, verification, tokens: await this.sessions.start(manager, user.id) };
    }).catch((error: unknown) => {
      throw this.takenOr(error);
    });
    await this.sendMail({
      to: user.email,
      subject: 'Confirm your email address for Boardroom',
      text: `Hello ${user.displayName},\n\nplease confirm your email address by opening this link within 24 hours:\n\n${this.link('verify-email', verification)}\n\nIf you did not sign up for Boardroom, ignore this message.\n`,
    });
    return { ...tokens, user };
  }

  async logIn(email: string, password: string, client: ClientInfo): Promise<IssuedTokens & { user: UserRecord }> {
    const lockoutKey = `login:${email.trim().toLowerCase()}`;
    await this.limiter.check('loginFailures', lockoutKey);
    const user = await this.users.findByCredentials(this.dataSource.manager, email.trim(), password);
    if (!user) {
      await this.limiter.penalize('loginFailures', lockoutKey);
      throw new DomainError('UNAUTHENTICATED', BAD_CREDENTIALS);
    }
    if (user.bannedAt) throw new DomainError('FORBIDDEN', 'This account has been banned.');
    await this.limiter.reset('loginFailures', lockoutKey);
    const tokens = await inTransaction(this.dataSource, async (manager) => {
      await this.events.record(manager, this.accountEvent('account.logged_in', user.id, client));
      return this.sessions.start(manager, user.id);
    });
    return { ...tokens, user };
  }

  /** Verifies the address of the link's user; an address of ADMIN_EMAILS becomes ADMIN now. */
  async verifyEmail(token: string, client: ClientInfo): Promise<UserRecord> {
    return inTransaction(this.dataSource, async (manager) => {
      const userId = await this.emailTokens.consume(manager, token, 'verify_email');
      if (!userId) throw this.badLink('verification');
      let user = (await this.users.markEmailVerified(manager, userId)) ?? (await this.users.findById(manager, userId));
      if (!user) throw this.badLink('verification');
      await this.events.record(manager, this.accountEvent('account.email_verified', user.id, client));
      if (this.config.auth.adminEmails.includes(user.email.toLowerCase()) && !user.roles.includes(Role.ADMIN)) {
        user = (await this.users.addRole(manager, user.id, Role.ADMIN))!;
        await this.events.record(manager, {
          ...this.accountEvent('account.role_granted', user.id, client),
          meta: { role: Role.ADMIN, by: 'ADMIN_EMAILS' },
        });
      }
      return user;
    });
  }

  /** Mails a reset link if the address has an account; the answer never tells whether it has. */
  async requestPasswordReset(email: string, client: ClientInfo): Promise<void> {
    const user = await this.users.findByEmail(this.dataSource.manager, email.trim());
    if (!user || user.bannedAt) return;
    const token = await inTransaction(this.dataSource, async (manager) => {
      await this.emailTokens.retireOpen(manager, user.id, 'reset_password');
      await this.events.record(manager, this.accountEvent('account.password_reset_requested', user.id, client));
      return this.emailTokens.issue(manager, user.id, 'reset_password', RESET_PASSWORD_SECONDS);
    });
    // Not awaited: the answer takes as long whether or not the address has an account.
    void this.sendMail({
      to: user.email,
      subject: 'Reset your Boardroom password',
      text: `Hello ${user.displayName},\n\nto choose a new password, open this link within one hour:\n\n${this.link('reset-password', token)}\n\nIf you did not ask for this, ignore this message: your password stays as it is.\n`,
    });
  }

  /** Sets a new password through a reset link and ends every session of the user. */
  async resetPassword(token: string, newPassword: string, client: ClientInfo): Promise<void> {
    const userId = await this.emailTokens.peek(this.dataSource.manager, token, 'reset_password');
    const user = userId ? await this.users.findById(this.dataSource.manager, userId) : null;
    if (!user) throw this.badLink('reset');
    assertAcceptablePassword(newPassword, { email: user.email, handle: user.handle }, 'newPassword');
    const password = await this.users.sealPassword(newPassword);
    await inTransaction(this.dataSource, async (manager) => {
      if ((await this.emailTokens.consume(manager, token, 'reset_password')) !== user.id) throw this.badLink('reset');
      await this.users.setPassword(manager, user.id, password);
      const ended = await this.sessions.revokeAll(manager, user.id, 'password reset');
      await this.events.record(manager, {
        ...this.accountEvent('account.password_reset', user.id, client),
        meta: { sessionsEnded: ended },
      });
    });
  }

  private accountEvent(action: string, userId: string, client: ClientInfo): NewEvent {
    return {
      action,
      actorId: userId,
      targetType: 'user',
      targetId: userId,
      networkFingerprint: client.ip,
      deviceFingerprint: client.deviceId,
    };
  }

  private link(path: string, token: string): string {
    return `${this.config.publicUrl}/${path}?token=${encodeURIComponent(token)}`;
  }

  private badLink(kind: 'verification' | 'reset'): DomainError {
    return DomainError.badInput(`This ${kind} link is invalid, used or expired. Ask for a new one.`, [
      { field: 'token', message: 'invalid, used or expired' },
    ]);
  }

  /** A unique violation on email or handle as the CONFLICT the contract names. */
  private takenOr(error: unknown): unknown {
    if (sqlState(error) !== '23505') return error;
    const constraint = String((error as { driverError?: { constraint?: string } }).driverError?.constraint ?? '');
    if (constraint.includes('email'))
      return DomainError.conflict(
        'EMAIL_TAKEN',
        'An account with this email already exists. Log in, or reset the password.',
      );
    if (constraint.includes('handle'))
      return DomainError.conflict('HANDLE_TAKEN', 'This handle is taken. Choose another one.');
    return error;
  }

  private async sendMail(message: MailMessage): Promise<void> {
    try {
      await this.mailer.send(message);
    } catch (error) {
      // The account change stands; the user can ask for the link again.
      this.logger.error(`Could not send "${message.subject}": ${(error as Error).message}`);
    }
  }
}
