import type { PGliteServer } from '../../libs/core/src/database/pglite-server.js';

export default async function teardown(): Promise<void> {
  const running = (globalThis as { __pgliteTestServers?: PGliteServer[] }).__pgliteTestServers;
  for (const { db, server } of running ?? []) {
    await server.stop();
    await db.close();
  }
}
