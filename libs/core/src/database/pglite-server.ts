// Imports packages only (no relative imports): Jest's global set-up loads this
// file directly, without the test module mapper.
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

/** Finds the transaction status of the last ReadyForQuery ('Z') in a streamed backend response. */
class ReadyForQueryTracker {
  private header: number[] = [];
  private remaining = 0;
  private inReadyForQuery = false;
  /** 'I' idle, 'T' in a transaction, 'E' in a failed transaction; null: none seen yet. */
  status: string | null = null;

  feed(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - offset);
        if (this.inReadyForQuery) this.status = String.fromCharCode(chunk[offset]!);
        this.remaining -= take;
        offset += take;
        continue;
      }
      this.header.push(chunk[offset++]!);
      if (this.header.length === 5) {
        const [type, a, b, c, d] = this.header as [number, number, number, number, number];
        this.remaining = ((a << 24) | (b << 16) | (c << 8) | d) - 4;
        this.inReadyForQuery = type === 0x5a; // 'Z'
        this.header = [];
      }
    }
  }
}

const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/**
 * A replacement for pglite-socket's query queue. PGlite has one session for
 * every connection, and the library's queue keeps a connection's messages
 * together only inside a transaction: outside one, the Parse/Bind/Execute of
 * two connections interleave and a client can receive another's rows
 * (electric-sql/pglite #1046, PR #977 open in November 2026). Here a
 * connection keeps the session from its first message until PGlite answers
 * ReadyForQuery with status idle — the end of a simple query, of an extended
 * query at its Sync, of a COPY, or of a transaction.
 */
export class ConnectionAffineQueue {
  private queue: QueuedMessage[] = [];
  private processing = false;
  /** The connection that holds the session, or null when it is free. */
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((queued) => {
      if (queued.handlerId !== handlerId) return true;
      queued.reject(new Error('Connection closed'));
      return false;
    });
  }

  /** A connection went away: end what it left open (an extended query, a transaction) and free the session. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC));
    // exec() takes PGlite's lock itself: calling it inside runExclusive would deadlock.
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    await this.process();
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (;;) {
        const index = this.owner === null ? 0 : this.queue.findIndex((q) => q.handlerId === this.owner);
        if (index < 0 || index >= this.queue.length) return;
        const [next] = this.queue.splice(index, 1) as [QueuedMessage];
        const tracker = new ReadyForQueryTracker();
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(next.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                tracker.feed(data);
                next.onData(data);
              },
            }),
          );
        } catch (error) {
          next.reject(error as Error);
          continue;
        }
        // No ReadyForQuery yet (mid extended query or COPY), or inside a transaction: keep the session.
        this.owner = tracker.status === 'I' ? null : next.handlerId;
        next.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}

export interface PGliteServer {
  db: PGlite;
  server: PGLiteSocketServer;
  port: number;
}

/**
 * Opens PGlite (in `dataDir`, or in memory) with the extensions the migrations
 * use and serves it on a loopback port, with the connection-affine queue.
 */
export async function startPGliteServer(options: {
  dataDir?: string;
  port?: number;
  maxConnections: number;
}): Promise<PGliteServer> {
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    extensions: { citext, pg_trgm, unaccent },
  });
  try {
    const server = new PGLiteSocketServer({
      db,
      host: '127.0.0.1',
      port: options.port ?? 0,
      maxConnections: options.maxConnections,
    });
    const internals = server as unknown as { queryQueue?: unknown };
    if (!internals.queryQueue) {
      throw new Error('@electric-sql/pglite-socket changed: its queryQueue is gone; re-check the queue replacement');
    }
    internals.queryQueue = new ConnectionAffineQueue(db);
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    return { db, server, port };
  } catch (error) {
    await db.close();
    throw error;
  }
}
