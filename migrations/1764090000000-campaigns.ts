import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns a brand declares (a window of at most 31 days), so the bursts detector can tell a genuine
 * campaign burst from a bought one, and the detector's hourly counts of earning activity per brand: its
 * baseline, kept up to date from the event batches so that a run never rescans the log.
 */
export class Campaigns1764090000000 implements MigrationInterface {
  name = 'Campaigns1764090000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brand_id uuid NOT NULL REFERENCES brands (id),
        name text NOT NULL CHECK (char_length(name) BETWEEN 3 AND 120),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at),
        CHECK (ends_at - starts_at <= interval '31 days')
      )`);
    // The campaigns of a brand overlapping an hour, and a brand's campaigns newest first.
    await db.query(`CREATE INDEX campaigns_brand ON campaigns (brand_id, starts_at DESC, id DESC)`);

    await db.query(`
      CREATE TABLE burst_hours (
        brand_id uuid NOT NULL REFERENCES brands (id),
        hour timestamptz NOT NULL,
        events integer NOT NULL CHECK (events >= 0),
        -- The BURST cluster of this hour once it was judged one.
        cluster_id uuid REFERENCES flag_clusters (id) ON DELETE SET NULL,
        PRIMARY KEY (brand_id, hour)
      )`);
    // The detector version the counts were made by: a new version re-reads the log and counts afresh.
    await db.query(`
      CREATE TABLE burst_counts_version (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        version text NOT NULL
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE burst_counts_version`);
    await db.query(`DROP TABLE burst_hours`);
    await db.query(`DROP TABLE campaigns`);
  }
}
