import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fraud detectors' results: each detector's version and progress, the flags it raises on accounts,
 * photos and actions (one per detector and subject, so a re-run updates rather than duplicates), the
 * clusters those flags belong to, and the near-duplicate detector's index of perceptual-hash bands.
 */
export class Analytics1764040000000 implements MigrationInterface {
  name = 'Analytics1764040000000';

  async up(db: QueryRunner): Promise<void> {
    // Where a detector's events-log position is kept: event_consumers, under `detector:<code>`.
    await db.query(`
      CREATE TABLE detector_runs (
        detector_code text PRIMARY KEY,
        version text NOT NULL,
        last_event_id bigint,
        events_processed bigint NOT NULL DEFAULT 0,
        version_started_at timestamptz NOT NULL,
        last_run_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE flag_clusters (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        detector_code text NOT NULL,
        detector_version text NOT NULL,
        kind text NOT NULL,
        -- The detector's own name for the cluster, stable across re-runs.
        cluster_key text NOT NULL,
        members jsonb NOT NULL,
        score double precision NOT NULL CHECK (score >= 0 AND score <= 1),
        evidence jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (detector_code, cluster_key)
      )`);
    await db.query(`
      CREATE TABLE flags (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subject_type text NOT NULL CHECK (subject_type IN ('ACCOUNT', 'PHOTO', 'EVENT')),
        subject_id text NOT NULL,
        detector_code text NOT NULL,
        detector_version text NOT NULL,
        score double precision NOT NULL CHECK (score >= 0 AND score <= 1),
        evidence jsonb NOT NULL,
        cluster_id bigint REFERENCES flag_clusters (id) ON DELETE SET NULL,
        -- OPEN as raised; the appeal flow moves it to APPEALED, then a moderator to CLEARED or CONFIRMED.
        state text NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'APPEALED', 'CLEARED', 'CONFIRMED')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (detector_code, subject_type, subject_id)
      )`);
    await db.query(`CREATE INDEX flags_subject ON flags (subject_type, subject_id)`);
    await db.query(`CREATE INDEX flags_cluster ON flags (cluster_id) WHERE cluster_id IS NOT NULL`);

    // Multi-index hashing: the 64-bit hash in four 16-bit bands, each indexed, so near neighbours are
    // found by probing bands rather than by comparing with every photo.
    await db.query(`
      CREATE TABLE photo_hash_bands (
        photo_id uuid PRIMARY KEY REFERENCES photos (id),
        owner_id uuid NOT NULL,
        perceptual_hash bigint NOT NULL,
        band0 integer NOT NULL,
        band1 integer NOT NULL,
        band2 integer NOT NULL,
        band3 integer NOT NULL,
        -- Union-find by relabelling: every photo of a connected group carries its smallest photo id.
        group_id uuid NOT NULL
      )`);
    for (const band of [0, 1, 2, 3]) {
      await db.query(`CREATE INDEX photo_hash_bands_band${band} ON photo_hash_bands (band${band})`);
    }
    await db.query(`CREATE INDEX photo_hash_bands_group ON photo_hash_bands (group_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE photo_hash_bands`);
    await db.query(`DROP TABLE flags`);
    await db.query(`DROP TABLE flag_clusters`);
    await db.query(`DROP TABLE detector_runs`);
  }
}
