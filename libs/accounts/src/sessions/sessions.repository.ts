import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import { hashSecretToken, newSecretToken } from '../auth/secret-token.js';
import type { Role } from '../roles.js';

export interface RefreshTokenState {
  tokenId: string;
  sessionId: string;
  userId: string;
  used: boolean;
  expired: boolean;
  sessionRevoked: boolean;
  userBanned: boolean;
}

/** What an access token's (user, session) resolves to on each request. */
export interface SessionHolder {
  userId: string;
  roles: Role[];
  bannedAt: Date | null;
  sessionRevokedAt: Date | null;
}

/** All SQL on `sessions` and `refresh_tokens`. */
@Injectable()
export class SessionsRepository {
  async createSession(manager: EntityManager, userId: string): Promise<string> {
    const [row] = await queryRows<{ id: string }>(manager, `INSERT INTO sessions (user_id) VALUES ($1) RETURNING id`, [
      userId,
    ]);
    return row!.id;
  }

  /** A new refresh token in the session; the raw value exists only in what this returns. */
  async issueRefreshToken(manager: EntityManager, sessionId: string, validSeconds: number): Promise<string> {
    const { token, hash } = newSecretToken();
    await queryRows(
      manager,
      `INSERT INTO refresh_tokens (session_id, token_hash, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3::float8))`,
      [sessionId, hash, validSeconds],
    );
    return token;
  }

  /** The token's state, locked for this transaction so that two refreshes of it serialize. */
  async lockRefreshToken(manager: EntityManager, token: string): Promise<RefreshTokenState | null> {
    const [row] = await queryRows<{
      id: string;
      session_id: string;
      user_id: string;
      used: boolean;
      expired: boolean;
      revoked: boolean;
      banned: boolean;
    }>(
      manager,
      `SELECT t.id, t.session_id, s.user_id, t.used_at IS NOT NULL AS used, t.expires_at <= now() AS expired,
              s.revoked_at IS NOT NULL AS revoked, u.banned_at IS NOT NULL AS banned
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
        WHERE t.token_hash = $1
        FOR UPDATE OF t, s`,
      [hashSecretToken(token)],
    );
    return row
      ? {
          tokenId: row.id,
          sessionId: row.session_id,
          userId: row.user_id,
          used: row.used,
          expired: row.expired,
          sessionRevoked: row.revoked,
          userBanned: row.banned,
        }
      : null;
  }

  async markUsed(manager: EntityManager, tokenId: string): Promise<void> {
    await queryRows(manager, `UPDATE refresh_tokens SET used_at = now() WHERE id = $1`, [tokenId]);
  }

  async revokeSession(manager: EntityManager, sessionId: string, reason: string): Promise<void> {
    await queryRows(
      manager,
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, reason],
    );
  }

  async revokeAllSessions(manager: EntityManager, userId: string, reason: string): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
      [userId, reason],
    );
    return rows.length;
  }

  /** One indexed lookup per authenticated request: the user's roles and ban, the session's revocation. */
  async findHolder(manager: EntityManager, userId: string, sessionId: string): Promise<SessionHolder | null> {
    const [row] = await queryRows<{ id: string; roles: Role[]; banned_at: Date | null; revoked_at: Date | null }>(
      manager,
      `SELECT u.id, u.roles, u.banned_at, s.revoked_at
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $2 AND u.id = $1`,
      [userId, sessionId],
    );
    return row ? { userId: row.id, roles: row.roles, bannedAt: row.banned_at, sessionRevokedAt: row.revoked_at } : null;
  }
}
