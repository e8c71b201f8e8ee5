import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export default async function teardown(): Promise<void> {
  const running = (globalThis as { __pgliteTestServers?: { db: PGlite; server: PGLiteSocketServer }[] })
    .__pgliteTestServers;
  for (const { db, server } of running ?? []) {
    await server.stop();
    await db.close();
  }
}
