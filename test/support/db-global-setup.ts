import type { PGliteServer } from '../../libs/core/src/database/pglite-server.js';

// Jest loads the global set-up as CommonJS and without its module mapper, so
// the one helper it needs (which imports packages only) is required by file name.
type PGliteServerModule = typeof import('../../libs/core/src/database/pglite-server.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const serverModule = require('../../libs/core/src/database/pglite-server.ts') as PGliteServerModule;
const { startPGliteServer } = serverModule;

const PGLITE_PORTS_VARIABLE = 'BOARDROOM_TEST_PGLITE_PORTS';

/**
 * Without TEST_DATABASE_URL, one in-memory PGlite server per Jest worker (see
 * pglite-test-servers.ts). With it, the tests create their databases on that server.
 */
export default async function setup(globalConfig: { maxWorkers: number }): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const count = Math.max(1, Math.min(globalConfig.maxWorkers, 4));
  const running: PGliteServer[] = [];
  for (let i = 0; i < count; i++) running.push(await startPGliteServer({ maxConnections: 32 }));
  process.env[PGLITE_PORTS_VARIABLE] = running.map((r) => r.port).join(',');
  (globalThis as { __pgliteTestServers?: PGliteServer[] }).__pgliteTestServers = running;
}
