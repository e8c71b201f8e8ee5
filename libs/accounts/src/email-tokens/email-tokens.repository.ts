import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import { hashSecretToken, newSecretToken } from '../auth/secret-token.js';

export type EmailTokenPurpose = 'verify_email' | 'reset_password';

/** All SQL on `email_tokens`: single-use links, stored hashed. */
@Injectable()
export class EmailTokensRepository {
  /** Issues a token; the raw value exists only in the returned string (and the mail). */
  async issue(
    manager: EntityManager,
    userId: string,
    purpose: EmailTokenPurpose,
    validSeconds: number,
  ): Promise<string> {
    const { token, hash } = newSecretToken();
    await queryRows(
      manager,
      `INSERT INTO email_tokens (user_id, purpose, token_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4::float8))`,
      [userId, purpose, hash, validSeconds],
    );
    return token;
  }

  /** Uses up a valid token; returns its user, or null when it is unknown, used or expired. */
  async consume(manager: EntityManager, token: string, purpose: EmailTokenPurpose): Promise<string | null> {
    const [row] = await queryRows<{ user_id: string }>(
      manager,
      `UPDATE email_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING user_id`,
      [hashSecretToken(token), purpose],
    );
    return row?.user_id ?? null;
  }

  /** The user of a valid token, without using it up (to check a new password before spending the link). */
  async peek(manager: EntityManager, token: string, purpose: EmailTokenPurpose): Promise<string | null> {
    const [row] = await queryRows<{ user_id: string }>(
      manager,
      `SELECT user_id FROM email_tokens
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()`,
      [hashSecretToken(token), purpose],
    );
    return row?.user_id ?? null;
  }

  /** Retires the user's other open tokens of a purpose (a new reset link replaces the old ones). */
  async retireOpen(manager: EntityManager, userId: string, purpose: EmailTokenPurpose): Promise<void> {
    await queryRows(
      manager,
      `UPDATE email_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [userId, purpose],
    );
  }
}
