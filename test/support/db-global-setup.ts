import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
// Jest loads global set-up without its module mapper: no relative .js imports here.
const PGLITE_PORTS_VARIABLE = 'BOARDROOM_TEST_PGLITE_PORTS';

interface Running {
  db: PGlite;
  server: PGLiteSocketServer;
}

export default async function setup(globalConfig: { maxWorkers: number }): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const count = Math.max(1, Math.min(globalConfig.maxWorkers, 4));
  const running: Running[] = [];
  for (let i = 0; i < count; i++) {
    // In memory: a test database needs no files.
    const db = await PGlite.create({ extensions: { citext, pg_trgm, unaccent } });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 32 });
    await server.start();
    running.push({ db, server });
  }
  process.env[PGLITE_PORTS_VARIABLE] = running.map((r) => r.server.getServerConn().split(':').pop()).join(',');
  (globalThis as { __pgliteTestServers?: Running[] }).__pgliteTestServers = running;
}
