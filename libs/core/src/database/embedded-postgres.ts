import fs from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import lockfile from 'proper-lockfile';
import { startPGliteServer } from './pglite-server.js';

/** Files the embedded database keeps in the data folder. */
export function embeddedPaths(dataDir: string) {
  return {
    pgdata: path.join(dataDir, 'pgdata'),
    /** proper-lockfile creates `<lockTarget>.lock`; held while a process owns pgdata. */
    lockTarget: path.join(dataDir, 'pgdata'),
    portFile: path.join(dataDir, 'pgdata.port'),
  };
}

/** How many client connections the socket server accepts: api pool, worker, CLI, headroom. */
const MAX_SOCKET_CONNECTIONS = 64;

export class EmbeddedDatabaseLockedError extends Error {
  constructor(dataDir: string) {
    super(
      `The embedded database in ${dataDir} is in use by another process. ` +
        'Stop it first, or point DATABASE_URL at a PostgreSQL server.',
    );
  }
}

/**
 * PostgreSQL in WebAssembly (PGlite), owned by one process and served on a
 * loopback port so every other client (the api's pool, the worker, the CLI)
 * talks to it with the ordinary `pg` driver, exactly as to a server.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly releaseLock: () => Promise<void>,
    private readonly portFile: string,
    readonly url: string,
  ) {}

  /** Opens the data folder (creating it), takes its lock and starts serving. */
  static async start(dataDir: string, options: { port?: number } = {}): Promise<EmbeddedPostgres> {
    const paths = embeddedPaths(dataDir);
    await fs.mkdir(paths.pgdata, { recursive: true });
    let releaseLock: () => Promise<void>;
    try {
      releaseLock = await lockfile.lock(paths.lockTarget, {
        stale: 15_000,
        update: 5_000,
        realpath: false,
        onCompromised: (err) => {
          // Another process took the folder: continuing would corrupt it.
          console.error(`Lost the lock on the embedded database: ${err.message}`);
          process.exit(70);
        },
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ELOCKED') throw new EmbeddedDatabaseLockedError(dataDir);
      throw error;
    }
    try {
      const { db, server, port } = await startPGliteServer({
        dataDir: paths.pgdata,
        port: options.port ?? 0,
        maxConnections: MAX_SOCKET_CONNECTIONS,
      });
      await fs.writeFile(paths.portFile, `${port}\n`);
      return new EmbeddedPostgres(db, server, releaseLock, paths.portFile, localUrl(port));
    } catch (error) {
      await releaseLock();
      throw error;
    }
  }

  /**
   * The URL of the embedded database served by another process of this data
   * folder, or null when no process serves it.
   */
  static async runningUrl(dataDir: string): Promise<string | null> {
    const paths = embeddedPaths(dataDir);
    const locked = await lockfile.check(paths.lockTarget, { stale: 15_000, realpath: false }).catch(() => false);
    if (!locked) return null;
    const port = Number((await fs.readFile(paths.portFile, 'utf8').catch(() => '')).trim());
    return Number.isInteger(port) && port > 0 ? localUrl(port) : null;
  }

  private stopping: Promise<void> | undefined;

  /** Stops serving, closes the database and releases the folder; safe to call twice. */
  stop(): Promise<void> {
    return (this.stopping ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    await fs.rm(this.portFile, { force: true });
    await this.releaseLock();
  }
}

function localUrl(port: number): string {
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}
