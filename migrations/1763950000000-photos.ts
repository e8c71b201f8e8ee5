import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Photos of brands (uploaded, processed, published), their comments, and who follows whom. */
export class Photos1763950000000 implements MigrationInterface {
  name = 'Photos1763950000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE photos (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES users (id),
        brand_id uuid NOT NULL REFERENCES brands (id),
        caption text CHECK (char_length(caption) BETWEEN 1 AND 500),
        status text NOT NULL DEFAULT 'PROCESSING'
          CHECK (status IN ('PROCESSING', 'PUBLISHED', 'REJECTED', 'REMOVED')),
        rejection_reason text,
        -- The client's key for retries: one photo per owner and key.
        idempotency_key text CHECK (char_length(idempotency_key) BETWEEN 1 AND 200),
        -- The event of the upload request, whose fingerprint hashes later events of this photo carry.
        upload_event_id bigint NOT NULL,
        original_key text NOT NULL,
        original_format text NOT NULL CHECK (original_format IN ('jpeg', 'png', 'webp', 'avif')),
        original_bytes integer NOT NULL CHECK (original_bytes > 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        -- As displayed, i.e. after the EXIF orientation.
        width integer NOT NULL CHECK (width > 0),
        height integer NOT NULL CHECK (height > 0),
        display_key text,
        thumbnail_key text,
        perceptual_hash bigint,
        duplicate_of uuid REFERENCES photos (id),
        shares_awarded integer NOT NULL DEFAULT 0,
        shares_withheld text CHECK (shares_withheld IN ('DAILY_CAP', 'DUPLICATE', 'FLAGGED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        deleted_at timestamptz,
        CHECK ((status = 'PUBLISHED') = (published_at IS NOT NULL) OR status = 'REMOVED')
      )`);
    await db.query(
      `CREATE UNIQUE INDEX photos_idempotency ON photos (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    // Brand pages and the brand half of the feed: newest published first.
    await db.query(
      `CREATE INDEX photos_brand_published ON photos (brand_id, published_at DESC, id DESC)
        WHERE status = 'PUBLISHED' AND deleted_at IS NULL`,
    );
    // The followed-users half of the feed, and the brands a user has published in.
    await db.query(
      `CREATE INDEX photos_owner_published ON photos (owner_id, published_at DESC, id DESC) INCLUDE (brand_id)
        WHERE status = 'PUBLISHED' AND deleted_at IS NULL`,
    );
    // A user's own photos in every state.
    await db.query(
      `CREATE INDEX photos_owner_created ON photos (owner_id, created_at DESC, id DESC) WHERE deleted_at IS NULL`,
    );
    // The duplicate check: exact copies by SHA-256, near ones by the perceptual hashes of the brand.
    await db.query(
      `CREATE INDEX photos_duplicate_candidates ON photos (brand_id, sha256) INCLUDE (perceptual_hash)
        WHERE status <> 'REJECTED' AND deleted_at IS NULL AND perceptual_hash IS NOT NULL`,
    );

    // Published photos per brand: what "popular" means in brand search. Kept by the transactions that
    // publish and delete photos; check-ledger proves it equals the count.
    await db.query(`ALTER TABLE brands ADD COLUMN photo_count integer NOT NULL DEFAULT 0 CHECK (photo_count >= 0)`);
    await db.query(`CREATE INDEX brands_popular ON brands (photo_count DESC, slug)`);

    await db.query(`
      CREATE TABLE comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        photo_id uuid NOT NULL REFERENCES photos (id),
        author_id uuid NOT NULL REFERENCES users (id),
        body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await db.query(`CREATE INDEX comments_photo ON comments (photo_id, created_at, id) WHERE deleted_at IS NULL`);
    await db.query(`CREATE INDEX comments_author ON comments (author_id, created_at DESC)`);

    await db.query(`
      CREATE TABLE follows (
        follower_id uuid NOT NULL REFERENCES users (id),
        followee_id uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (follower_id, followee_id),
        CHECK (follower_id <> followee_id)
      )`);
    await db.query(`CREATE INDEX follows_followee ON follows (followee_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE follows`);
    await db.query(`DROP TABLE comments`);
    await db.query(`DROP TABLE photos`);
    await db.query(`ALTER TABLE brands DROP COLUMN photo_count`);
  }
}
