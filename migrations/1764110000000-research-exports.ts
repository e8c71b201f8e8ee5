import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Research exports and personal-data downloads: the projects whose pseudonym keys (encrypted at rest) make
 * follow-up exports joinable, and the export jobs the worker runs, with their progress and archive.
 */
export class ResearchExports1764110000000 implements MigrationInterface {
  name = 'ResearchExports1764110000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE research_projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        -- The researcher the project belongs to; null: the operator's (exports from the command line).
        owner_id uuid REFERENCES users (id),
        -- The project's pseudonym key, AES-256-GCM under RESEARCH_KEY_SECRET (iv.tag.ciphertext, base64url).
        key_ciphertext text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE UNIQUE INDEX research_projects_name
        ON research_projects (coalesce(owner_id, '00000000-0000-0000-0000-000000000000'::uuid), name)`);

    await db.query(`
      CREATE TABLE export_jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('RESEARCH', 'PERSONAL')),
        requested_by uuid REFERENCES users (id),
        project_id uuid REFERENCES research_projects (id),
        format text NOT NULL CHECK (format IN ('PARQUET', 'CSV', 'JSONL')),
        -- The window and brands of a research export.
        params jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'QUEUED' CHECK (status IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
        rows bigint,
        storage_key text,
        error text,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        CHECK ((kind = 'RESEARCH') = (project_id IS NOT NULL)),
        -- A finished archive is purged after RETENTION_EXPORT_ARCHIVE_DAYS: the job stays, its storage_key goes.
        CHECK ((status IN ('DONE', 'FAILED')) = (finished_at IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX export_jobs_requester ON export_jobs (requested_by, created_at DESC)`);
    // The retention purge finds finished archives by age.
    await db.query(`CREATE INDEX export_jobs_finished ON export_jobs (finished_at) WHERE storage_key IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE export_jobs`);
    await db.query(`DROP TABLE research_projects`);
  }
}
