import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The per-brand authenticity reports, one per brand and window (7, 30 or 90 days), replaced by each
 * computation: the query reads a stored row instead of scanning the ledger and the flags on a request.
 */
export class AuthenticityReports1764100000000 implements MigrationInterface {
  name = 'AuthenticityReports1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE authenticity_reports (
        brand_id uuid NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
        "window" text NOT NULL CHECK ("window" IN ('LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_90_DAYS')),
        "from" timestamptz NOT NULL,
        "to" timestamptz NOT NULL,
        computed_at timestamptz NOT NULL,
        score double precision NOT NULL CHECK (score BETWEEN 0 AND 1),
        active_employees integer NOT NULL CHECK (active_employees >= 0),
        -- [{ key, label, value, explanation }], in the registry's order.
        metrics jsonb NOT NULL,
        -- [{ clusterId, kind, userIds, score, evidence }], most suspicious first.
        clusters jsonb NOT NULL,
        PRIMARY KEY (brand_id, "window"),
        CHECK ("from" < "to")
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE authenticity_reports`);
  }
}
