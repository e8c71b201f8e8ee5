/**
 * The leaderboard over HTTP (issue 6): the real api (`dist/apps/api/src/main.js`, NODE_ENV=production,
 * its own process) answering `brand(slug) { leaderboard(first: 20) { edges { node { shares title rank
 * user { handle } } } } }` against a bare Apollo Server (bench/game-bare-apollo.ts, its own process)
 * answering the same query with the same SQL, on the boards of bench/game-seed.ts. autocannon sends
 * POSTs at fixed rates, evenly spaced (BENCH_HTTP_RATES, then bisection to 10 req/s; see `load`), BENCH_HTTP_SECONDS (5) each,
 * over the 1,000 biggest brands at random; the highest rate whose p99 stays under 50 ms with no errors
 * and at least 95 % of the asked rate delivered is the figure. Target: product / bare ≥ 0.7.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- leaderboard-http
 *   BENCH_API_LOG_LEVEL=info …    # the api logs each request (default warn: errors only)
 *   BENCH_REDIS_URL=redis://127.0.0.1:6379 …   # the api's rate limits in Redis, as deployed
 *   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" …   # profile both servers
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { SeededBoards } from './game-seed.js';
import { fmt, printTable, quantile } from './game-support.js';

// Up to 1,000 req/s: each request a second is an autocannon instance of its own (see `load`), and at
// 2,000 their histograms ran out of WebAssembly memory.
const RATES = (process.env.BENCH_HTTP_RATES ?? '50,100,200,300,400,600,800,1000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
/** Node flags for both servers, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (NODE_OPTIONS refuses --cpu-prof). */
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const P99_MS = 50;
const WARM_UP_SECONDS = 5;
const SETTLE_MS = 2000;
const TARGET = 0.7;

const QUERY = `query Board($slug: String!) {
  brand(slug: $slug) { leaderboard(first: 20) { edges { node { shares title rank user { handle } } } } }
}`;

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Server {
  name: string;
  url: string;
  child: ChildProcess;
}

async function startServer(name: string, script: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, script], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (response.ok) return { name, url, child };
    } catch {
      // not listening yet
    }
    if (tries > 300) throw new Error(`${name} did not answer on ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

const body = (slug: string) => JSON.stringify({ query: QUERY, variables: { slug } });

async function board(server: Server, slug: string): Promise<unknown> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(slug),
  });
  return response.json();
}

interface Step {
  rate: number;
  p50: number;
  p99: number;
  delivered: number;
  errors: number;
  ok: boolean;
}

/**
 * `rate` requests a second for `seconds`, evenly spaced. autocannon's own `-R` (overallRate) sends each
 * second's quota at once: every connection fires its share back to back when its 1 s tick resets
 * (lib/httpClient.js, `reqsMadeThisSecond`), so a "rate" is a burst at the top of each second and its p99
 * measures how fast the burst drains, not a fixed rate. Here `rate` autocannon instances of one
 * connection at 1 req/s each start 1/rate s apart, so their ticks interleave; the latencies are each
 * response's, gathered from all of them.
 */
async function load(server: Server, slugs: string[], rate: number, seconds: number): Promise<Step> {
  const latencies: number[] = [];
  let errors = 0;
  const runs = Array.from(
    { length: rate },
    (_, i) =>
      new Promise<void>((resolve, reject) => {
        setTimeout(
          () => {
            const instance = autocannon(
              {
                url: server.url,
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                connections: 1,
                connectionRate: 1,
                duration: seconds,
                requests: [
                  {
                    setupRequest: (request) => ({
                      ...request,
                      body: body(slugs[Math.floor(Math.random() * slugs.length)]!),
                    }),
                  },
                ],
              },
              (error: Error | null) => (error ? reject(error) : resolve()),
            );
            instance.on('response', (_client, statusCode, _bytes, responseTime) => {
              if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
              else errors++;
            });
            instance.on('reqError', () => errors++);
          },
          (i * 1000) / rate,
        );
      }),
  );
  await Promise.all(runs);
  latencies.sort((a, b) => a - b);
  const delivered = latencies.length / seconds;
  const p99 = latencies.length ? quantile(latencies, 0.99) : Infinity;
  const ok = p99 < P99_MS && errors === 0 && delivered >= 0.95 * rate;
  return { rate, p50: latencies.length ? quantile(latencies, 0.5) : Infinity, p99, delivered, errors, ok };
}

/**
 * A measured step after a pause: responses of a failed step still in flight when it ended (autocannon
 * stops at its duration, not when the server has answered) must not land in the next one.
 */
async function settledLoad(server: Server, slugs: string[], rate: number): Promise<Step> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return load(server, slugs, rate, SECONDS);
}

/**
 * The search for the highest rate that holds p99 < 50 ms on one server: up the steps to the first
 * failure, then bisect to 10 req/s. `next` is the rate to measure next (null: done), `record` its step.
 */
class RateSearch {
  best: Step | null = null;
  private climbing = 0;
  private low = 0;
  private high: number | null = null;

  constructor(readonly server: Server) {}

  next(): number | null {
    if (this.high === null) return RATES[this.climbing] ?? null;
    const rate = Math.round((this.low + this.high) / 2 / 10) * 10;
    return rate <= this.low || rate >= this.high ? null : rate;
  }

  record(step: Step): void {
    console.log(
      `  ${this.server.name.padEnd(8)} ${fmt(step.rate).padStart(6)} req/s asked: ${fmt(step.delivered).padStart(6)} delivered, ` +
        `p50 ${fmt(step.p50, 1)} ms, p99 ${fmt(step.p99, 1)} ms, ${step.errors} errors ${step.ok ? '' : ' ✗'}`,
    );
    if (step.ok) {
      this.best = step;
      this.low = step.rate;
      if (this.high === null) this.climbing++;
    } else {
      this.high = step.rate;
    }
  }
}

/**
 * Both searches, their steps taken in turn (product, bare, product, …) so that whatever the machine does
 * meanwhile falls on both alike. Measured one after the other, the server measured first failed its first
 * steps whichever it was (after the seed: its writes still being flushed, the load generator warming up).
 * On 2026-12-04, full seed, product first: product 140 req/s, bare 470; small seed, bare first: bare 140,
 * product 170. The server not being measured is idle.
 */
async function highestRates(servers: Server[], slugs: string[]): Promise<(Step | null)[]> {
  // Warm-up (connections, JIT, caches) at the first rate: a warm-up above what the server sustains left a
  // backlog that the first measured step then paid for (its p99 failed where lower and higher steps held).
  for (const server of servers) await load(server, slugs, RATES[0]!, WARM_UP_SECONDS);
  const searches = servers.map((server) => new RateSearch(server));
  for (;;) {
    const pending = searches.filter((search) => search.next() !== null);
    if (!pending.length) return searches.map((search) => search.best);
    for (const search of pending) search.record(await settledLoad(search.server, slugs, search.next()!));
  }
}

export async function benchLeaderboardHttp(seed: SeededBoards): Promise<void> {
  const slugs = seed.biggest.map((brand) => brand.slug);
  const dataDir = path.join(root, 'data', `bench-${randomBytes(4).toString('hex')}`);
  await mkdir(dataDir, { recursive: true });
  const logLevel = process.env.BENCH_API_LOG_LEVEL ?? 'warn';
  console.log(
    `\nleaderboard over HTTP: ${SECONDS} s per rate, requests evenly spaced (one connection per request a second), brands among the ` +
      `${fmt(slugs.length)} biggest (${fmt(seed.biggest.at(-1)!.employees)}–${fmt(seed.biggest[0]!.employees)} employees); ` +
      `api LOG_LEVEL=${logLevel}, pool 10 on both, api rate limits in ${process.env.BENCH_REDIS_URL ? 'Redis' : 'PostgreSQL (no BENCH_REDIS_URL)'}`,
  );
  // Both up from the first request to the last: checked against each other, then measured in turn.
  const servers: Server[] = [];
  let bests: (Step | null)[];
  try {
    servers.push(
      await startServer('product', path.join(root, 'dist/apps/api/src/main.js'), {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        DATABASE_URL: seed.url,
        DATABASE_POOL_SIZE: '10',
        DATA_DIR: dataDir,
        LOG_LEVEL: logLevel,
        RATE_LIMIT_GRAPHQL: '100000000/1',
        JWT_SIGNING_KEYS: `bench:${randomBytes(32).toString('base64url')}`,
        FINGERPRINT_SECRET: randomBytes(32).toString('hex'),
        RESEARCH_KEY_SECRET: randomBytes(32).toString('hex'),
        MEDIA_URL_SECRET: randomBytes(32).toString('hex'),
        JOBS_IN_API: 'false',
        // As deployed (docs/operations.md): rate limits in Redis; without it each request writes its window to PostgreSQL.
        ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
      }),
    );
    servers.push(
      await startServer('bare', path.join(here, 'game-bare-apollo.js'), {
        DATABASE_URL: seed.url,
        DATABASE_POOL_SIZE: '10',
      }),
    );
    // Both answer the same board the same way before any load.
    const answers = await Promise.all(servers.map(async (server) => JSON.stringify(await board(server, slugs[0]!))));
    if (answers[0] !== answers[1]) {
      throw new Error(
        `product and bare answer differently:\n${answers[0]!.slice(0, 400)}\n${answers[1]!.slice(0, 400)}`,
      );
    }
    console.log(`  both answer the same board (${answers[0]!.length} bytes for ${slugs[0]})`);
    bests = await highestRates(servers, slugs);
  } finally {
    for (const server of servers) await stopServer(server);
    await rm(dataDir, { recursive: true, force: true });
  }
  const [product, bare] = bests;
  const ratio = (product?.rate ?? 0) / (bare?.rate ?? NaN);
  const describe = (step: Step | null | undefined) =>
    step ? `${fmt(step.rate)} req/s (p99 ${fmt(step.p99, 1)} ms)` : `none of the rates`;
  printTable(
    `leaderboard over HTTP: highest fixed rate with p99 < ${P99_MS} ms`,
    [
      {
        what: 'brand(slug) { leaderboard(first: 20) { … user { handle } } }',
        product: describe(product),
        raw: describe(bare),
        ratio: Number.isFinite(ratio) ? ratio.toFixed(2) : '—',
        target: `≥ ${TARGET}${ratio >= TARGET ? '' : ' (missed)'}`,
      },
    ],
    { product: 'product api', raw: 'bare Apollo' },
  );
}
