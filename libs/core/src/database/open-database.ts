import type { AppConfig } from '../config/app-config.js';
import { EmbeddedPostgres } from './embedded-postgres.js';

export type ProcessRole = 'api' | 'worker' | 'cli';

export interface OpenDatabase {
  url: string;
  /** Set when this process owns the embedded database and must stop it last. */
  embedded: EmbeddedPostgres | null;
  close(): Promise<void>;
}

export class EmbeddedDatabaseNotRunningError extends Error {
  constructor(dataDir: string) {
    super(
      `No api process serves the embedded database in ${dataDir}. ` +
        'Start it with `npm start`, or set DATABASE_URL to use a PostgreSQL server.',
    );
  }
}

/**
 * Where this process's database is. With DATABASE_URL, the server. Otherwise the
 * embedded database: the api owns and serves it; the worker and the CLI connect
 * to the api's server, and the CLI opens the folder itself when no api runs.
 */
export async function openDatabase(config: AppConfig, role: ProcessRole): Promise<OpenDatabase> {
  const serverUrl = config.database.url;
  if (serverUrl) return { url: serverUrl, embedded: null, close: async () => {} };

  if (role !== 'api') {
    const runningUrl = await EmbeddedPostgres.runningUrl(config.dataDir);
    if (runningUrl) return { url: runningUrl, embedded: null, close: async () => {} };
    if (role === 'worker') throw new EmbeddedDatabaseNotRunningError(config.dataDir);
  }
  const embedded = await EmbeddedPostgres.start(config.dataDir, { port: config.database.embeddedPort });
  return { url: embedded.url, embedded, close: () => embedded.stop() };
}
