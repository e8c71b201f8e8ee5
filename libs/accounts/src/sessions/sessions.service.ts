import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, EventLog, inTransaction } from '@boardroom/core';
import { AccessTokens } from '../auth/access-tokens.js';
import type { ClientInfo } from '../auth/auth.decorators.js';
import { SessionsRepository } from './sessions.repository.js';

export const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  userId: string;
  sessionId: string;
}

const SESSION_ENDED = 'This session has ended. Please log in again.';

/** Sessions: an access token and a rotating refresh token per log-in. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsRepository,
    private readonly accessTokens: AccessTokens,
    private readonly events: EventLog,
  ) {}

  /** Starts a session inside the caller's transaction (sign-up, log-in). */
  async start(manager: EntityManager, userId: string): Promise<IssuedTokens> {
    const sessionId = await this.sessions.createSession(manager, userId);
    const refreshToken = await this.sessions.issueRefreshToken(manager, sessionId, REFRESH_TOKEN_SECONDS);
    return { accessToken: this.accessTokens.sign({ sub: userId, sid: sessionId }), refreshToken, userId, sessionId };
  }

  /**
   * Rotates: the token is used up and a new one issued in the same session. A
   * token used a second time means it was stolen (or leaked): the whole session
   * is revoked, and its current holder must log in again.
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<IssuedTokens> {
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const state = await this.sessions.lockRefreshToken(manager, refreshToken);
      if (!state || state.sessionRevoked || state.expired) return { ended: true as const };
      if (state.userBanned) return { banned: true as const };
      if (state.used) {
        await this.sessions.revokeSession(manager, state.sessionId, 'refresh token reused');
        await this.events.record(manager, {
          action: 'account.refresh_reuse_detected',
          actorId: state.userId,
          targetType: 'session',
          targetId: state.sessionId,
          networkFingerprint: client.ip,
          deviceFingerprint: client.deviceId,
        });
        return { ended: true as const };
      }
      await this.sessions.markUsed(manager, state.tokenId);
      const next = await this.sessions.issueRefreshToken(manager, state.sessionId, REFRESH_TOKEN_SECONDS);
      return {
        tokens: {
          accessToken: this.accessTokens.sign({ sub: state.userId, sid: state.sessionId }),
          refreshToken: next,
          userId: state.userId,
          sessionId: state.sessionId,
        },
      };
    });
    // Thrown after the commit, so that a detected reuse stays revoked.
    if ('ended' in outcome) throw new DomainError('UNAUTHENTICATED', SESSION_ENDED);
    if ('banned' in outcome) throw new DomainError('FORBIDDEN', 'This account has been banned.');
    return outcome.tokens;
  }

  /** Ends the session of this refresh token; false when the token is unknown. */
  async logOut(refreshToken: string): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      const state = await this.sessions.lockRefreshToken(manager, refreshToken);
      if (!state) return false;
      await this.sessions.revokeSession(manager, state.sessionId, 'logged out');
      return true;
    });
  }

  revokeAll(manager: EntityManager, userId: string, reason: string): Promise<number> {
    return this.sessions.revokeAllSessions(manager, userId, reason);
  }
}
