import pg from 'pg';
import { migrateDown, migrateUp, pendingMigrations } from '@boardroom/core';
import { migrations } from '@boardroom/migrations';
import { createEmptyDatabase } from '../test/support/test-database.js';

async function tables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  beforeAll(async () => {
    database = await createEmptyDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('go up, all the way down, and up again', async () => {
    const names = migrations.map((m) => new m().name);
    expect(await migrateUp(database.url)).toEqual(names);
    expect(await pendingMigrations(database.url)).toEqual([]);
    const created = await tables(database.url);
    expect(created).toEqual(expect.arrayContaining(['events', 'event_consumers', 'jobs', 'schema_migrations']));

    expect(await migrateDown(database.url, names.length)).toEqual([...names].reverse());
    expect(await tables(database.url)).toEqual(['schema_migrations']);
    expect(await pendingMigrations(database.url)).toEqual(names);

    expect(await migrateUp(database.url)).toEqual(names);
    expect(await tables(database.url)).toEqual(created);
  });

  it('have unique, increasing timestamps in their names', () => {
    const stamps = migrations.map((m) => Number(/(\d{13})$/.exec(new m().name)?.[1]));
    expect(stamps.every(Number.isFinite)).toBe(true);
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    expect(new Set(stamps).size).toBe(stamps.length);
  });
});
