import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import { PasswordHasher } from '../passwords/index.js';
import type { Role } from '../roles.js';
import type { UserRecord } from './user.record.js';

interface UserRow {
  id: string;
  email: string;
  email_verified_at: Date | null;
  handle: string;
  display_name: string;
  roles: Role[];
  invite_code: string | null;
  created_at: Date;
  banned_at: Date | null;
}

const COLUMNS = `id, email, email_verified_at, handle, display_name, roles, invite_code, created_at, banned_at`;

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  emailVerified: row.email_verified_at !== null,
  handle: row.handle,
  displayName: row.display_name,
  roles: row.roles,
  inviteCode: row.invite_code,
  createdAt: row.created_at,
  bannedAt: row.banned_at,
});

/** The hashes behind sealed passwords; module-private, so only this file can open them. */
const sealedHashes = new WeakMap<SealedPassword, string>();

/** The hash of a new password, sealed: the services carry it without being able to read it. */
export class SealedPassword {
  private constructor() {}
  static seal(hash: string): SealedPassword {
    const sealed = new SealedPassword();
    sealedHashes.set(sealed, hash);
    return sealed;
  }
}

/**
 * All SQL on `users`. Passwords go in and are checked here; the hash never
 * leaves this class (a new one travels sealed).
 */
@Injectable()
export class UsersRepository {
  constructor(private readonly passwords: PasswordHasher) {}

  /** Hashes a new password before any transaction opens (argon2 takes a while). */
  async sealPassword(password: string): Promise<SealedPassword> {
    return SealedPassword.seal(await this.passwords.hash(password));
  }

  /** Inserts a user; a taken email or handle surfaces as the unique violation (23505) of its constraint. */
  async create(
    manager: EntityManager,
    user: { email: string; handle: string; displayName: string; password: SealedPassword; createdAt: Date },
  ): Promise<UserRecord> {
    const hash = sealedHashes.get(user.password);
    const [row] = await queryRows<UserRow>(
      manager,
      `INSERT INTO users (email, handle, display_name, password_hash, created_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [user.email, user.handle, user.displayName, hash, user.createdAt],
    );
    return toRecord(row!);
  }

  async findById(manager: EntityManager, id: string): Promise<UserRecord | null> {
    const [row] = await queryRows<UserRow>(manager, `SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return row ? toRecord(row) : null;
  }

  async findByIds(manager: EntityManager, ids: readonly string[]): Promise<UserRecord[]> {
    const rows = await queryRows<UserRow>(manager, `SELECT ${COLUMNS} FROM users WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map(toRecord);
  }

  async findByHandle(manager: EntityManager, handle: string): Promise<UserRecord | null> {
    const [row] = await queryRows<UserRow>(manager, `SELECT ${COLUMNS} FROM users WHERE handle = lower($1)`, [handle]);
    return row ? toRecord(row) : null;
  }

  async findByEmail(manager: EntityManager, email: string): Promise<UserRecord | null> {
    const [row] = await queryRows<UserRow>(manager, `SELECT ${COLUMNS} FROM users WHERE email = $1`, [email]);
    return row ? toRecord(row) : null;
  }

  /**
   * The user whose email and password these are, or null. An unknown email
   * costs the same hashing work as a wrong password, so timing tells nothing.
   */
  async findByCredentials(manager: EntityManager, email: string, password: string): Promise<UserRecord | null> {
    const [row] = await queryRows<UserRow & { password_hash: string }>(
      manager,
      `SELECT ${COLUMNS}, password_hash FROM users WHERE email = $1`,
      [email],
    );
    if (!row) {
      await this.passwords.verifyAgainstNothing(password);
      return null;
    }
    if (!(await this.passwords.verify(row.password_hash, password))) return null;
    if (this.passwords.needsRehash(row.password_hash)) {
      await queryRows(manager, `UPDATE users SET password_hash = $2 WHERE id = $1`, [
        row.id,
        await this.passwords.hash(password),
      ]);
    }
    return toRecord(row);
  }

  async setPassword(manager: EntityManager, userId: string, password: SealedPassword): Promise<void> {
    await queryRows(manager, `UPDATE users SET password_hash = $2 WHERE id = $1`, [userId, sealedHashes.get(password)]);
  }

  /** Marks the email verified (once); returns the user, or null if it was verified already. */
  async markEmailVerified(manager: EntityManager, userId: string): Promise<UserRecord | null> {
    const [row] = await queryRows<UserRow>(
      manager,
      `UPDATE users SET email_verified_at = now() WHERE id = $1 AND email_verified_at IS NULL RETURNING ${COLUMNS}`,
      [userId],
    );
    return row ? toRecord(row) : null;
  }

  /** Sets the ban (once); returns the user, or null if they were banned already (or do not exist). */
  /**
   * Erasure: the row stays (ledgers reference it) but names no one: placeholder email and handle, no password,
   * banned (every rule that hides banned users applies) and deleted. Null when erased already.
   */
  async tombstone(manager: EntityManager, userId: string, at: Date): Promise<UserRecord | null> {
    const [row] = await queryRows<UserRow>(
      manager,
      `UPDATE users
          SET email = 'erased-' || id || '@erased.invalid', email_verified_at = NULL,
              handle = 'erased_' || substr(md5(id::text || $2::timestamptz::text), 1, 16), display_name = 'Erased account',
              password_hash = '!erased', invite_code = NULL, roles = '{CONSUMER}',
              banned_at = coalesce(banned_at, $2::timestamptz), ban_reason = coalesce(ban_reason, 'account erased'), deleted_at = $2::timestamptz
        WHERE id = $1 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
      [userId, at],
    );
    return row ? toRecord(row) : null;
  }

  async markBanned(manager: EntityManager, userId: string, at: Date): Promise<UserRecord | null> {
    const [row] = await queryRows<UserRow>(
      manager,
      `UPDATE users SET banned_at = $2 WHERE id = $1 AND banned_at IS NULL RETURNING ${COLUMNS}`,
      [userId, at],
    );
    return row ? toRecord(row) : null;
  }

  /** Adds a role if missing; returns the user, or null when the user does not exist. */
  async addRole(manager: EntityManager, userId: string, role: Role): Promise<UserRecord | null> {
    const [row] = await queryRows<UserRow>(
      manager,
      `UPDATE users SET roles = CASE WHEN $2 = ANY(roles) THEN roles ELSE roles || $2::text END
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [userId, role],
    );
    return row ? toRecord(row) : null;
  }
}
