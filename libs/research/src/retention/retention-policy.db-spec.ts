import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Clock, loadConfig, type JobRegistry, type JobScheduler } from '@boardroom/core';
import { LocalStorageDriver } from '@boardroom/media';
import { PhotosService } from '@boardroom/photos';
import { PhotosRepository } from '../../../photos/src/photos.repository.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { ExportJobsRepository } from '../jobs/export-jobs.repository.js';
import { RetentionPolicy, type RetentionSummary } from './retention-policy.js';
import { RetentionRepository } from './retention.repository.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

class FixedClock extends Clock {
  now(): Date {
    return NOW;
  }
}

/**
 * Each purge at its default window (fingerprints 90 days, tokens as soon as expired, archives 7 days, removed
 * photos' files 30 days): a row just inside the window stays, one just outside goes, the files go from storage,
 * and a second run finds nothing.
 */
describe('RetentionPolicy', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let dir: string;
  let storage: LocalStorageDriver;
  let policy: RetentionPolicy;
  let alice: string;
  let brand: string;
  let first: RetentionSummary;

  const sql = <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    dataSource.query<T[]>(query, parameters);
  const one = async <T = Record<string, unknown>>(query: string, parameters: unknown[] = []) =>
    (await sql<T>(query, parameters))[0]!;
  const ids = async (query: string, parameters: unknown[] = []) =>
    (await sql<{ id: string }>(query, parameters)).map((row) => String(row.id)).sort();

  async function event(occurredAt: Date): Promise<string> {
    const { id } = await one<{ id: string }>(
      `INSERT INTO events (occurred_at, actor_id, action, device_fingerprint, network_fingerprint, meta)
       VALUES ($1, $2, 'test.acted', 'device-hash', 'network-hash', '{"kept": true}') RETURNING id::text`,
      [occurredAt, alice],
    );
    return id;
  }
  async function session(revokedAt: Date | null, tokens: { expiresAt: Date; usedAt?: Date }[]) {
    const { id } = await one<{ id: string }>(
      `INSERT INTO sessions (user_id, revoked_at) VALUES ($1, $2) RETURNING id`,
      [alice, revokedAt],
    );
    const tokenIds: string[] = [];
    for (const [i, token] of tokens.entries()) {
      const row = await one<{ id: string }>(
        `INSERT INTO refresh_tokens (session_id, token_hash, expires_at, used_at) VALUES ($1, $2, $3, $4) RETURNING id`,
        [id, `hash-${id}-${i}`, token.expiresAt, token.usedAt ?? null],
      );
      tokenIds.push(row.id);
    }
    return { id, tokenIds };
  }
  async function photo(
    name: string,
    state: { deletedAt?: Date; removals?: { action: 'REMOVE_PHOTO' | 'RESTORE_PHOTO'; at: Date }[] },
  ) {
    const removed = state.removals?.at(-1)?.action === 'REMOVE_PHOTO';
    const prefix = removed ? 'removed/' : '';
    const keys = [
      `originals/${name}.jpg`,
      `${prefix}renditions/${name}/display.webp`,
      `${prefix}renditions/${name}/thumbnail.webp`,
    ];
    for (const key of keys) await storage.put(key, Buffer.from(name), { contentType: 'image/jpeg' });
    const { id } = await one<{ id: string }>(
      `INSERT INTO photos (owner_id, brand_id, upload_event_id, original_key, original_format, original_bytes, sha256,
                           width, height, display_key, thumbnail_key, status, published_at, deleted_at, created_at)
       VALUES ($1, $2, 0, $3, 'jpeg', 1, repeat('a', 64), 10, 10, $4, $5, $6, $7, $8, $7) RETURNING id`,
      [
        alice,
        brand,
        keys[0],
        keys[1],
        keys[2],
        removed ? 'REMOVED' : 'PUBLISHED',
        ago(60 * DAY),
        state.deletedAt ?? null,
      ],
    );
    for (const decision of state.removals ?? []) {
      await sql(
        `INSERT INTO moderation_decisions (moderator_id, action, target_type, target_id, reason, created_at)
         VALUES ($1, $2, 'PHOTO', $3, 'test', $4)`,
        [alice, decision.action, id, decision.at],
      );
    }
    return { id, keys };
  }
  async function exportJob(finishedAt: Date) {
    const { id } = await one<{ id: string }>(
      `INSERT INTO export_jobs (kind, requested_by, format, status, rows, created_at, finished_at)
       VALUES ('PERSONAL', $1, 'JSONL', 'DONE', 1, $2, $2) RETURNING id`,
      [alice, finishedAt],
    );
    const key = `exports/${id}.zip`;
    await storage.put(key, Buffer.from('zip'), { contentType: 'application/zip' });
    await sql(`UPDATE export_jobs SET storage_key = $2 WHERE id = $1`, [id, key]);
    return { id, key };
  }

  const rows: Record<string, { id: string; keys?: string[]; key?: string; tokenIds?: string[] }> = {};

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await createTestDatabase();
    dataSource = database.dataSource;
    dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-retention-'));
    storage = new LocalStorageDriver(dir, {} as never);
    const clock = new FixedClock();
    const photos = new PhotosService(
      dataSource,
      new PhotosRepository(),
      {} as never,
      {} as never,
      storage,
      {} as never,
      clock,
    );
    policy = new RetentionPolicy(
      dataSource,
      new RetentionRepository(),
      new ExportJobsRepository(),
      photos,
      storage,
      loadConfig({}),
      {} as JobRegistry,
      {} as JobScheduler,
      clock,
    );

    alice = (
      await one<{ id: string }>(
        `INSERT INTO users (email, handle, display_name, password_hash) VALUES ('a@example.com', 'alice', 'A', 'x') RETURNING id`,
      )
    ).id;
    brand = (
      await one<{ id: string }>(
        `INSERT INTO brands (slug, name, folded_name) VALUES ('acme', 'Acme', 'acme') RETURNING id`,
      )
    ).id;

    rows.eventInside = { id: await event(ago(90 * DAY - MINUTE)) };
    rows.eventOutside = { id: await event(ago(90 * DAY + MINUTE)) };
    // More than one batch of old events, all the same time: the keyset goes on by id.
    await sql(
      `INSERT INTO events (occurred_at, action, device_fingerprint) SELECT $1, 'test.acted', 'old' FROM generate_series(1, 2500)`,
      [ago(200 * DAY)],
    );
    await sql(
      `INSERT INTO fingerprint_accounts (kind, fingerprint, user_id, first_seen_at, last_seen_at)
       VALUES ('device', 'inside', $1, $2, $3), ('device', 'outside', $1, $2, $4)`,
      [alice, ago(300 * DAY), ago(90 * DAY - MINUTE), ago(90 * DAY + MINUTE)],
    );

    rows.liveSession = await session(null, [
      { expiresAt: new Date(NOW.getTime() + MINUTE) },
      { expiresAt: new Date(NOW.getTime() + MINUTE), usedAt: ago(MINUTE) },
      { expiresAt: ago(MINUTE), usedAt: ago(2 * MINUTE) },
    ]);
    rows.revokedSession = await session(ago(MINUTE), [{ expiresAt: new Date(NOW.getTime() + DAY) }]);
    rows.expiredSession = await session(null, [{ expiresAt: ago(MINUTE) }]);

    await sql(
      `INSERT INTO email_tokens (user_id, purpose, token_hash, expires_at, used_at) VALUES
         ($1, 'verify_email', 'live', $2, NULL), ($1, 'verify_email', 'expired', $3, NULL),
         ($1, 'reset_password', 'used', $2, $3)`,
      [alice, new Date(NOW.getTime() + MINUTE), ago(MINUTE)],
    );
    await sql(`INSERT INTO rate_limits (key, points, expire) VALUES ('live', 1, $1), ('expired', 1, $2)`, [
      NOW.getTime() + MINUTE,
      NOW.getTime() - MINUTE,
    ]);
    await sql(
      `INSERT INTO jobs (name, status, unique_key, finished_at) VALUES
         ('test.job', 'done', 'inside', $1), ('test.job', 'failed', 'outside', $2), ('test.job', 'queued', 'queued', NULL)`,
      [ago(8 * DAY - MINUTE), ago(8 * DAY + MINUTE)],
    );

    rows.archiveInside = await exportJob(ago(7 * DAY - MINUTE));
    rows.archiveOutside = await exportJob(ago(7 * DAY + MINUTE));

    rows.deletedInside = await photo('deleted-inside', { deletedAt: ago(30 * DAY - MINUTE) });
    rows.deletedOutside = await photo('deleted-outside', { deletedAt: ago(30 * DAY + MINUTE) });
    rows.removedInside = await photo('removed-inside', {
      removals: [{ action: 'REMOVE_PHOTO', at: ago(30 * DAY - MINUTE) }],
    });
    rows.removedOutside = await photo('removed-outside', {
      removals: [{ action: 'REMOVE_PHOTO', at: ago(30 * DAY + MINUTE) }],
    });
    // Removed long ago, restored, removed again lately: the latest removal counts.
    rows.removedAgain = await photo('removed-again', {
      removals: [
        { action: 'REMOVE_PHOTO', at: ago(60 * DAY) },
        { action: 'RESTORE_PHOTO', at: ago(50 * DAY) },
        { action: 'REMOVE_PHOTO', at: ago(DAY) },
      ],
    });
    rows.restored = await photo('restored', {
      removals: [
        { action: 'REMOVE_PHOTO', at: ago(60 * DAY) },
        { action: 'RESTORE_PHOTO', at: ago(50 * DAY) },
      ],
    });

    first = await policy.purge();
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('forgets fingerprint hashes older than 90 days, in batches, and keeps the rest of the event', async () => {
    expect(first.fingerprints).toBe(2501);
    const fingerprinted = await ids(
      `SELECT id FROM events WHERE device_fingerprint IS NOT NULL OR network_fingerprint IS NOT NULL`,
    );
    expect(fingerprinted).toEqual([rows.eventInside!.id]);
    const forgotten = await one(`SELECT action, actor_id, meta FROM events WHERE id = $1`, [rows.eventOutside!.id]);
    expect(forgotten).toEqual({ action: 'test.acted', actor_id: alice, meta: { kept: true } });
    // Nothing else about an event may change, fingerprints or not.
    for (const change of [
      `meta = '{}'`,
      `meta = meta - 'kept'`,
      `action = 'test.changed'`,
      `device_fingerprint = 'x'`,
    ]) {
      await expect(sql(`UPDATE events SET ${change} WHERE id = $1`, [rows.eventOutside!.id])).rejects.toThrow(
        /append-only/,
      );
    }
    expect(first.fingerprintAccounts).toBe(1);
    expect(await sql(`SELECT fingerprint FROM fingerprint_accounts`)).toEqual([{ fingerprint: 'inside' }]);
  });

  it('deletes expired refresh tokens, ended and expired sessions, spent email tokens and expired rate limits', async () => {
    const live = rows.liveSession!.tokenIds!;
    expect(await ids(`SELECT id FROM sessions`)).toEqual([rows.liveSession!.id]);
    // The used token that has not expired stays: replaying it is how a stolen session is detected.
    expect(await ids(`SELECT id FROM refresh_tokens`)).toEqual([live[0]!, live[1]!].sort());
    expect(first.sessions).toBe(2);
    expect(await sql(`SELECT token_hash FROM email_tokens`)).toEqual([{ token_hash: 'live' }]);
    expect(first.emailTokens).toBe(2);
    expect(await sql(`SELECT key FROM rate_limits`)).toEqual([{ key: 'live' }]);
  });

  it('deletes finished jobs after at least 8 days, so a slot’s key outlives its slot', async () => {
    expect(await sql(`SELECT unique_key FROM jobs ORDER BY unique_key`)).toEqual([
      { unique_key: 'inside' },
      { unique_key: 'queued' },
    ]);
    expect(first.jobs).toBe(1);
  });

  it('deletes export archives older than 7 days from storage, and their jobs say EXPIRED', async () => {
    expect(first.archives).toBe(1);
    expect(await storage.exists(rows.archiveOutside!.key!)).toBe(false);
    expect(await one(`SELECT status, storage_key FROM export_jobs WHERE id = $1`, [rows.archiveOutside!.id])).toEqual({
      status: 'EXPIRED',
      storage_key: null,
    });
    expect(await storage.exists(rows.archiveInside!.key!)).toBe(true);
    expect(await one(`SELECT status, storage_key FROM export_jobs WHERE id = $1`, [rows.archiveInside!.id])).toEqual({
      status: 'DONE',
      storage_key: rows.archiveInside!.key,
    });
  });

  it('deletes the files of photos deleted or removed more than 30 days ago, and forgets their keys', async () => {
    expect(first.photos).toBe(2);
    expect(first.failures).toBe(0);
    for (const name of ['deletedOutside', 'removedOutside']) {
      for (const key of rows[name]!.keys!) expect(await storage.exists(key)).toBe(false);
      expect(
        await one(
          `SELECT original_key, display_key, thumbnail_key, sha256 IS NOT NULL AS hashed FROM photos WHERE id = $1`,
          [rows[name]!.id],
        ),
      ).toEqual({ original_key: null, display_key: null, thumbnail_key: null, hashed: true });
    }
    for (const name of ['deletedInside', 'removedInside', 'removedAgain', 'restored']) {
      for (const key of rows[name]!.keys!) expect(await storage.exists(key)).toBe(true);
      expect(await one(`SELECT original_key FROM photos WHERE id = $1`, [rows[name]!.id])).toEqual({
        original_key: rows[name]!.keys![0],
      });
    }
  });

  it('finds nothing to do the second time', async () => {
    expect(await policy.purge()).toEqual({
      fingerprints: 0,
      fingerprintAccounts: 0,
      refreshTokens: 0,
      sessions: 0,
      emailTokens: 0,
      rateLimits: 0,
      jobs: 0,
      archives: 0,
      photos: 0,
      failures: 0,
    });
  });
});
