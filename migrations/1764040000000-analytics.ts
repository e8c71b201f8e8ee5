import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The detectors of inauthentic engagement: where each has read the events log up to (and in which
 * version), the flags they raise on accounts, photos and actions, the clusters those flags belong to,
 * and the banded perceptual hashes that make the near-duplicate search an index lookup.
 */
export class Analytics1764040000000 implements MigrationInterface {
  name = 'Analytics1764040000000';

  async up(db: QueryRunner): Promise<void> {
    // The events-log position itself is the detector's row in event_consumers; this records its version.
    await db.query(`
      CREATE TABLE detector_runs (
        code text PRIMARY KEY,
        version text NOT NULL,
        last_event_id bigint,
        last_run_at timestamptz NOT NULL
      )`);

    await db.query(`
      CREATE TABLE flag_clusters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        detector text NOT NULL,
        detector_version text NOT NULL,
        kind text NOT NULL,
        -- Account, photo or event ids, as the kind says.
        members text[] NOT NULL,
        score double precision NOT NULL CHECK (score BETWEEN 0 AND 1),
        evidence jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // Finding the clusters a new member joins.
    await db.query(`CREATE INDEX flag_clusters_members ON flag_clusters USING gin (members)`);
    await db.query(`CREATE INDEX flag_clusters_detector ON flag_clusters (detector, updated_at DESC)`);

    await db.query(`
      CREATE TABLE flags (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_type text NOT NULL CHECK (subject_type IN ('ACCOUNT', 'PHOTO', 'EVENT')),
        subject_id text NOT NULL,
        detector text NOT NULL,
        detector_version text NOT NULL,
        score double precision NOT NULL CHECK (score BETWEEN 0 AND 1),
        evidence jsonb NOT NULL,
        cluster_id uuid REFERENCES flag_clusters (id) ON DELETE SET NULL,
        -- OPEN until a moderator decides an appeal: CLEARED (not fraud) or CONFIRMED.
        state text NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'CLEARED', 'CONFIRMED')),
        decided_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        -- A re-run updates the flag it raised before instead of raising a second one.
        UNIQUE (detector, subject_type, subject_id)
      )`);
    await db.query(`CREATE INDEX flags_subject ON flags (subject_type, subject_id)`);
    await db.query(`CREATE INDEX flags_cluster ON flags (cluster_id) WHERE cluster_id IS NOT NULL`);

    // Multi-index hashing: the 64-bit perceptual hash cut into four 16-bit bands, each looked up by value.
    await db.query(`
      CREATE TABLE photo_hash_bands (
        band smallint NOT NULL CHECK (band BETWEEN 0 AND 3),
        value integer NOT NULL CHECK (value BETWEEN 0 AND 65535),
        photo_id uuid NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
        PRIMARY KEY (band, value, photo_id)
      )`);
    await db.query(`CREATE INDEX photo_hash_bands_photo ON photo_hash_bands (photo_id)`);

    // The accounts each fingerprint hash (as the events log keeps it) was seen with, and when last.
    await db.query(`
      CREATE TABLE fingerprint_accounts (
        kind text NOT NULL CHECK (kind IN ('device', 'network')),
        fingerprint text NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id),
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        PRIMARY KEY (kind, fingerprint, user_id)
      )`);

    // Who acted on which target (a photo commented, a brand published in, a proposal voted) and when.
    await db.query(`
      CREATE TABLE lockstep_actions (
        target text NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id),
        acted_at timestamptz NOT NULL,
        event_id bigint NOT NULL,
        PRIMARY KEY (target, event_id)
      )`);
    await db.query(
      `CREATE INDEX lockstep_actions_target_time ON lockstep_actions (target, acted_at) INCLUDE (user_id)`,
    );
    await db.query(`CREATE INDEX lockstep_actions_user ON lockstep_actions (user_id, acted_at) INCLUDE (target)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE lockstep_actions`);
    await db.query(`DROP TABLE fingerprint_accounts`);
    await db.query(`DROP TABLE photo_hash_bands`);
    await db.query(`DROP TABLE flags`);
    await db.query(`DROP TABLE flag_clusters`);
    await db.query(`DROP TABLE detector_runs`);
  }
}
