import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The foundation: extensions, the append-only events log with its consumers'
 * positions, the job queue, and the rate-limit store for a database server.
 */
export class Init1763920000000 implements MigrationInterface {
  name = 'Init1763920000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS citext`);
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await db.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);

    await db.query(`
      CREATE TABLE events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        -- The writing transaction: consumers read in (xid, id) order and only
        -- below the oldest running transaction, so a late commit is never skipped.
        xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        action text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$'),
        brand_id uuid,
        target_type text,
        target_id text,
        device_fingerprint text,
        network_fingerprint text,
        meta jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await db.query(`CREATE INDEX events_xid_id ON events (xid, id)`);
    await db.query(`CREATE INDEX events_actor ON events (actor_id, occurred_at) WHERE actor_id IS NOT NULL`);
    await db.query(`CREATE INDEX events_brand ON events (brand_id, occurred_at) WHERE brand_id IS NOT NULL`);
    await db.query(`CREATE INDEX events_action ON events (action, occurred_at)`);
    await db.query(`
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);
    await db.query(`
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);

    await db.query(`
      CREATE TABLE event_consumers (
        name text PRIMARY KEY,
        position_xid xid8 NOT NULL DEFAULT '0'::xid8,
        position_id bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await db.query(`
      CREATE TABLE jobs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        max_attempts int NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
        run_at timestamptz NOT NULL DEFAULT now(),
        unique_key text UNIQUE,
        locked_by text,
        locked_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await db.query(`CREATE INDEX jobs_ready ON jobs (run_at, id) WHERE status = 'queued'`);
    await db.query(`CREATE INDEX jobs_running ON jobs (locked_at) WHERE status = 'running'`);

    // The shape rate-limiter-flexible's PostgreSQL store expects (tableCreated: true).
    await db.query(`
      CREATE TABLE rate_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE rate_limits`);
    await db.query(`DROP TABLE jobs`);
    await db.query(`DROP TABLE event_consumers`);
    await db.query(`DROP TABLE events`);
    await db.query(`DROP FUNCTION refuse_change()`);
    // Extensions stay: other databases objects or later installs may use them.
  }
}
