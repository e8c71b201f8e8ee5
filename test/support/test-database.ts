import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, migrateUp } from '@boardroom/core';
import { pgliteUrlForThisWorker } from './pglite-test-servers.js';

export interface TestDatabase {
  /** A migrated, empty database of this test file's own. */
  url: string;
  /** Whether this is a PostgreSQL server (true) or PGlite (false). */
  server: boolean;
  dataSource: DataSource;
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * An empty database for one test file: a new database on the server named by
 * TEST_DATABASE_URL, or this worker's PGlite with its public schema recreated.
 * `migrate: false` leaves it without tables, for the migration tests.
 */
export async function createEmptyDatabase(): Promise<{ url: string; server: boolean; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `boardroom_test_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
    await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
    return {
      url: withDatabase(serverUrl, name),
      server: true,
      drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    };
  }
  const url = pgliteUrlForThisWorker();
  await adminQuery(url, `DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;`);
  return { url, server: false, drop: async () => {} };
}

export async function createTestDatabase(
  options: { migrate?: boolean; poolSize?: number } = {},
): Promise<TestDatabase> {
  const empty = await createEmptyDatabase();
  if (options.migrate !== false) await migrateUp(empty.url);
  const dataSource = createDataSource({ url: empty.url, poolSize: options.poolSize ?? 4, applicationName: 'test' });
  await dataSource.initialize();
  return {
    url: empty.url,
    server: empty.server,
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await empty.drop();
    },
  };
}
