import pg from 'pg';
import type { DataSource } from 'typeorm';
import { SystemClock } from '../clock/clock.js';
import { loadConfig } from '../config/app-config.js';
import { inTransaction } from '../database/transaction.js';
import { FingerprintHasher } from '../security/fingerprint-hasher.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { EventConsumer } from './event-consumer.js';
import { EventLog } from './event-log.js';
import type { StoredEvent } from './event.types.js';
import { EventsRepository } from './events.repository.js';

describe('events log', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let log: EventLog;
  let consumer: EventConsumer;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = database.dataSource;
    const repository = new EventsRepository();
    const hasher = new FingerprintHasher(loadConfig({ FINGERPRINT_SECRET: 'x'.repeat(32) }));
    log = new EventLog(repository, hasher, new SystemClock());
    consumer = new EventConsumer(dataSource, repository);
  });
  afterAll(() => database.close());

  async function readAll(name: string): Promise<StoredEvent[]> {
    const seen: StoredEvent[] = [];
    await consumer.consumeAll(name, async (events) => void seen.push(...events), 2);
    return seen;
  }

  it('writes an event in the transaction, with keyed fingerprint hashes', async () => {
    await inTransaction(dataSource, (m) =>
      log.record(m, {
        action: 'test.written',
        targetType: 'thing',
        targetId: '1',
        deviceFingerprint: 'device-1',
        meta: { n: 1 },
      }),
    );
    const [event] = (await readAll('writes')).filter((e) => e.action === 'test.written');
    expect(event).toMatchObject({ targetType: 'thing', targetId: '1', meta: { n: 1 }, networkFingerprintHash: null });
    expect(event!.deviceFingerprintHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(event!.deviceFingerprintHash).not.toContain('device-1');
  });

  it('refuses to record outside a transaction', async () => {
    expect(() => log.record(dataSource.manager, { action: 'test.loose' })).toThrow(/inside the transaction/);
  });

  it('leaves nothing behind when the transaction rolls back', async () => {
    await expect(
      inTransaction(dataSource, async (m) => {
        await log.record(m, { action: 'test.rolled_back' });
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    const [{ count }] = await dataSource.query(
      `SELECT count(*)::int AS count FROM events WHERE action = 'test.rolled_back'`,
    );
    expect(count).toBe(0);
  });

  it('is append-only: updates, deletes and truncation are refused by the database', async () => {
    await expect(dataSource.query(`UPDATE events SET action = 'test.changed'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM events`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE events`)).rejects.toThrow(/append-only/);
  });

  it('gives each consumer every event once, in batches, resuming from its stored position', async () => {
    for (let i = 0; i < 5; i++) {
      await inTransaction(dataSource, (m) => log.record(m, { action: 'test.counted', meta: { i } }));
    }
    const first = (await readAll('counter')).filter((e) => e.action === 'test.counted');
    expect(first.map((e) => e.meta.i)).toEqual([0, 1, 2, 3, 4]);
    expect(await readAll('counter')).toEqual([]);
    await inTransaction(dataSource, (m) => log.record(m, { action: 'test.counted', meta: { i: 5 } }));
    expect((await readAll('counter')).map((e) => e.meta.i)).toEqual([5]);
  });

  it('re-reads a batch whose handler failed: the position does not move', async () => {
    await inTransaction(dataSource, (m) => log.record(m, { action: 'test.retried' }));
    await readAll('retrier'); // catch up with what earlier tests wrote
    await inTransaction(dataSource, (m) => log.record(m, { action: 'test.retried', meta: { again: true } }));
    await expect(
      consumer.consumeBatch('retrier', async () => {
        throw new Error('handler crashed');
      }),
    ).rejects.toThrow('handler crashed');
    expect((await readAll('retrier')).map((e) => e.meta)).toEqual([{ again: true }]);
  });

  it('orders by transaction id as a number, not as text', async () => {
    await readAll('digits');
    // Explicit ids stand for long-finished transactions 99 and 100: 99 first.
    await dataSource.query(`INSERT INTO events (action, xid) VALUES ('test.digits_b', '100'), ('test.digits_a', '99')`);
    const fresh = (await readAll('digits-from-start')).filter((e) => e.action.startsWith('test.digits'));
    expect(fresh.map((e) => e.action)).toEqual(['test.digits_a', 'test.digits_b']);
  });

  // Two transactions open at once: only a server runs them concurrently
  // (PGlite serves one open transaction at a time).
  const onServer = process.env.TEST_DATABASE_URL ? it : it.skip;

  /** Two connections of their own, each able to hold a transaction open. */
  async function withTwoClients(work: (a: pg.Client, b: pg.Client) => Promise<void>): Promise<void> {
    const a = new pg.Client({ connectionString: database.url });
    const b = new pg.Client({ connectionString: database.url });
    await a.connect();
    await b.connect();
    try {
      await work(a, b);
    } finally {
      await a.end();
      await b.end();
    }
  }

  onServer('does not skip an event whose transaction commits after a later one', async () => {
    await readAll('late-commit');
    await withTwoClients(async (early, late) => {
      // `early` takes its transaction id first but writes its event last, so
      // its event has the higher id yet the lower transaction id.
      await early.query('BEGIN');
      await early.query('SELECT pg_current_xact_id()');
      await late.query('BEGIN');
      await late.query('SELECT pg_current_xact_id()');
      await late.query(`INSERT INTO events (action) VALUES ('test.late')`);
      await early.query(`INSERT INTO events (action) VALUES ('test.early')`);
      await late.query('COMMIT');

      // `late` has committed but `early` still runs: nothing may be read past it.
      expect(await readAll('late-commit')).toEqual([]);

      await early.query('COMMIT');
      expect((await readAll('late-commit')).map((e) => e.action)).toEqual(['test.early', 'test.late']);
    });
  });

  onServer('does not skip an event with a lower id that commits after a higher one', async () => {
    await readAll('low-id');
    await withTwoClients(async (low, high) => {
      await low.query('BEGIN');
      await low.query(`INSERT INTO events (action) VALUES ('test.low_id')`);
      await high.query('BEGIN');
      await high.query(`INSERT INTO events (action) VALUES ('test.high_id')`);
      await high.query('COMMIT');
      expect(await readAll('low-id')).toEqual([]);
      await low.query('COMMIT');
      expect((await readAll('low-id')).map((e) => e.action)).toEqual(['test.low_id', 'test.high_id']);
    });
  });
});
