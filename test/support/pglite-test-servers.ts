/**
 * Without TEST_DATABASE_URL the database tests run on PGlite. PGlite takes
 * seconds and hundreds of MB to start, and all its connections share one
 * session, so the global set-up starts one server per Jest worker; the files of
 * one worker run one after another, each on a freshly emptied schema.
 */
export const PGLITE_PORTS_VARIABLE = 'BOARDROOM_TEST_PGLITE_PORTS';

export function pgliteUrlForThisWorker(): string {
  const ports = (process.env[PGLITE_PORTS_VARIABLE] ?? '').split(',').filter(Boolean);
  if (ports.length === 0)
    throw new Error(`${PGLITE_PORTS_VARIABLE} is not set: run the db tests through Jest's global set-up`);
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  const port = ports[(worker - 1) % ports.length];
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}
