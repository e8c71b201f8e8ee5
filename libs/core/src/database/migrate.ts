import type { Migration } from 'typeorm';
import { createDataSource } from './data-source.js';

async function withMigrationSource<T>(url: string, work: (ds: ReturnType<typeof createDataSource>) => Promise<T>) {
  const dataSource = createDataSource({ url, poolSize: 1, applicationName: 'migrate' });
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** Applies every pending migration, each in its own transaction; returns their names. */
export async function migrateUp(url: string): Promise<string[]> {
  return withMigrationSource(url, async (ds) => {
    const applied: Migration[] = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  });
}

/** Reverts the last `steps` applied migrations, newest first; returns their names. */
export async function migrateDown(url: string, steps = 1): Promise<string[]> {
  return withMigrationSource(url, async (ds) => {
    const reverted: string[] = [];
    for (let i = 0; i < steps; i++) {
      const [last] = await ds
        .query<{ name: string }[]>(`SELECT name FROM schema_migrations ORDER BY timestamp DESC, id DESC LIMIT 1`)
        .catch(() => []);
      if (!last) break;
      await ds.undoLastMigration({ transaction: 'each' });
      reverted.push(last.name);
    }
    return reverted;
  });
}

/** Names of migrations not yet applied. */
export async function pendingMigrations(url: string): Promise<string[]> {
  return withMigrationSource(url, async (ds) => {
    const applied = new Set(
      (await ds.query<{ name: string }[]>(`SELECT name FROM schema_migrations`).catch(() => [])).map((r) => r.name),
    );
    return ds.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
  });
}
