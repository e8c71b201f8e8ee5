import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, their sessions (refresh-token families) and single-use email tokens. */
export class Accounts1763930000000 implements MigrationInterface {
  name = 'Accounts1763930000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email citext NOT NULL UNIQUE,
        email_verified_at timestamptz,
        -- Stored lower-case, so uniqueness is case-insensitive.
        handle text NOT NULL UNIQUE CHECK (handle ~ '^[a-z0-9_]{3,30}$'),
        display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 60),
        password_hash text NOT NULL,
        roles text[] NOT NULL DEFAULT '{CONSUMER}'
          CHECK (roles <@ ARRAY['CONSUMER', 'BRAND_MANAGER', 'MODERATOR', 'RESEARCHER', 'ADMIN']::text[]),
        invite_code text,
        created_at timestamptz NOT NULL DEFAULT now(),
        banned_at timestamptz,
        ban_reason text
      )`);

    // A session is one log-in on one device: the family of its refresh tokens.
    await db.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_reason text
      )`);
    await db.query(`CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL`);

    await db.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await db.query(`CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id)`);

    await db.query(`
      CREATE TABLE email_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await db.query(`CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE email_tokens`);
    await db.query(`DROP TABLE refresh_tokens`);
    await db.query(`DROP TABLE sessions`);
    await db.query(`DROP TABLE users`);
  }
}
