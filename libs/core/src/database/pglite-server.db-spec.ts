import pg from 'pg';
import { startPGliteServer, type PGliteServer } from './pglite-server.js';

/**
 * The embedded server under concurrent clients: one running transactions,
 * others running parameterized queries outside transactions, as the api's
 * pool, the in-process jobs and the CLI do. Runs on PGlite in every mode.
 */
describe('the PGlite socket server', () => {
  let pglite: PGliteServer;
  const clients: pg.Client[] = [];

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: pglite.port,
      user: 'postgres',
      database: 'postgres',
      query_timeout: 20_000,
    });
    await client.connect();
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    pglite = await startPGliteServer({ maxConnections: 8 });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await pglite.server.stop();
    await pglite.db.close();
  });

  it('never mixes up the statements and rows of concurrent connections', async () => {
    const [writer, readerA, readerB] = await Promise.all([connect(), connect(), connect()]);
    await writer.query('CREATE TABLE interleave (n int NOT NULL)');
    const problems: string[] = [];

    const write = async () => {
      for (let n = 0; n < 100; n++) {
        await writer.query('BEGIN');
        await writer.query('INSERT INTO interleave VALUES ($1)', [n]);
        await writer.query('COMMIT');
      }
    };
    const read = async (client: pg.Client, name: string) => {
      for (let n = 0; n < 200; n++) {
        try {
          const { rows } = await client.query<{ who: string; v: number }>(`SELECT $1::text AS who, $2::int AS v`, [
            name,
            n,
          ]);
          if (rows.length !== 1 || rows[0]!.who !== name || rows[0]!.v !== n)
            problems.push(`${name}#${n} got ${JSON.stringify(rows)}`);
        } catch (error) {
          problems.push(`${name}#${n} failed: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all([write(), read(readerA, 'a'), read(readerB, 'b')]);

    expect(problems).toEqual([]);
    const { rows } = await readerA.query<{ count: number }>('SELECT count(*)::int AS count FROM interleave');
    expect(rows[0]!.count).toBe(100);
  });

  it('frees the session when a connection leaves in the middle of a transaction, rolling it back', async () => {
    const leaving = await connect();
    const staying = await connect();
    await staying.query('CREATE TABLE abandoned (n int)');
    await leaving.query('BEGIN');
    await leaving.query('INSERT INTO abandoned VALUES (1)');
    const waiting = staying.query<{ count: number }>('SELECT count(*)::int AS count FROM abandoned');
    await leaving.end();
    expect((await waiting).rows[0]!.count).toBe(0);
  });

  it('keeps serving after a failed statement', async () => {
    const client = await connect();
    await expect(client.query('SELECT $1::int', ['not a number'])).rejects.toThrow(/invalid input syntax/);
    expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});
