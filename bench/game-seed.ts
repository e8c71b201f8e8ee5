/**
 * Seeds the boards of the leaderboard benchmarks with COPY (pg-copy-streams): BENCH_BOARD_USERS users
 * (200k, 0.1 % of them banned), BENCH_BOARD_BRANDS brands (100k) and BENCH_BOARD_EMPLOYMENTS employments
 * (1M) in a skewed spread — four brands with 50–80k employees (scaled with the total), the rest on a
 * Zipf tail down to one employee — in random row order, with Pareto-like shares (many ties at the low
 * counts) and titles and salaries as the rules give them. Then VACUUM ANALYZE, so counts can be
 * index-only scans. A progress bar on stderr.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { salaryFor, titleForShares } from '../libs/game/src/rules.js';

export interface BoardSizes {
  users: number;
  brands: number;
  employments: number;
}

export interface SeededBoards {
  url: string;
  sizes: BoardSizes;
  /** Brands by employee count, biggest first (the first 1,000). */
  biggest: { id: string; slug: string; employees: number }[];
  seconds: number;
}

export function boardSizes(): BoardSizes {
  return {
    users: Number(process.env.BENCH_BOARD_USERS ?? 200_000),
    brands: Number(process.env.BENCH_BOARD_BRANDS ?? 100_000),
    employments: Number(process.env.BENCH_BOARD_EMPLOYMENTS ?? 1_000_000),
  };
}

/** Employees per brand: a few big brands, then a Zipf tail; sums to `total`, each at least 1. */
export function brandSizes(brands: number, total: number, users: number): number[] {
  const head = [0.08, 0.065, 0.055, 0.05].map((share) => Math.min(users, Math.round(share * total))).slice(0, brands);
  const tailCount = brands - head.length;
  const rest = total - head.reduce((a, b) => a + b, 0);
  if (tailCount < 0 || rest < tailCount) throw new Error(`cannot spread ${total} employments over ${brands} brands`);
  const weights = Array.from({ length: tailCount }, (_, i) => 1 / (i + 20));
  const scale = rest / weights.reduce((a, b) => a + b, 0);
  const tail = weights.map((w) => Math.max(1, Math.floor(w * scale)));
  let diff = rest - tail.reduce((a, b) => a + b, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % tailCount) {
    if (diff > 0) {
      tail[i]! += 1;
      diff--;
    } else if (tail[i]! > 1) {
      tail[i]! -= 1;
      diff++;
    }
  }
  return [...head, ...tail];
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

function progress(label: string, total: number) {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(22)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}

/** COPYs the lines `rows` yields into `table (columns)`, a chunk at a time, with a progress bar. */
async function copyRows(client: pg.Client, table: string, columns: string, total: number, rows: Iterable<string>) {
  const bar = progress(table, total);
  function* chunks() {
    let chunk: string[] = [];
    let done = 0;
    for (const row of rows) {
      chunk.push(row);
      if (chunk.length === 5000) {
        yield chunk.join('');
        done += chunk.length;
        bar.update(done);
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk.join('');
    bar.update(total);
  }
  try {
    await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`)));
  } finally {
    bar.stop();
  }
}

const DAY = 86_400_000;

/** Pareto-like shares: a third under 10, a long tail to 100,000. */
function randomShares(): number {
  return Math.min(100_000, Math.floor(10 * (Math.pow(1 - Math.random(), -1.2) - 1)));
}

export async function seedBoards(url: string, sizes: BoardSizes = boardSizes()): Promise<SeededBoards> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const now = Date.now();
    const userIds = Array.from({ length: sizes.users }, () => randomUUID());
    const brandIds = Array.from({ length: sizes.brands }, () => randomUUID());
    const bannedEvery = 1000;
    await copyRows(
      client,
      'users',
      'id, email, handle, display_name, password_hash, created_at, banned_at',
      sizes.users,
      (function* () {
        for (let i = 0; i < sizes.users; i++) {
          const created = new Date(now - 400 * DAY + i).toISOString();
          const banned = i % bannedEvery === 999 ? new Date(now - DAY).toISOString() : '\\N';
          yield `${userIds[i]}\tuser${i}@bench.test\tuser_${i}\tUser ${i}\tx\t${created}\t${banned}\n`;
        }
      })(),
    );
    await copyRows(
      client,
      'brands',
      'id, slug, name, folded_name',
      sizes.brands,
      (function* () {
        for (let i = 0; i < sizes.brands; i++) yield `${brandIds[i]}\tbrand-${i}\tBrand ${i}\tbrand ${i}\n`;
      })(),
    );

    // Every (brand, user) pair once: a brand's employees are users start, start + step, … (mod users),
    // distinct because step is coprime with the user count. Then shuffled, so rows land in random order.
    const perBrand = brandSizes(sizes.brands, sizes.employments, sizes.users);
    const pairBrand = new Int32Array(sizes.employments);
    const pairUser = new Int32Array(sizes.employments);
    let k = 0;
    perBrand.forEach((count, brand) => {
      const start = Math.floor(Math.random() * sizes.users);
      let step = 1 + Math.floor(Math.random() * (sizes.users - 1));
      while (gcd(step, sizes.users) !== 1) step++;
      for (let j = 0; j < count; j++, k++) {
        pairBrand[k] = brand;
        pairUser[k] = (start + j * step) % sizes.users;
      }
    });
    for (let i = sizes.employments - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [pairBrand[i], pairBrand[j]] = [pairBrand[j]!, pairBrand[i]!];
      [pairUser[i], pairUser[j]] = [pairUser[j]!, pairUser[i]!];
    }
    const asOf = new Date(now).toISOString();
    // The share-count trigger would run a million upserts after the COPY, and the ban trigger a million
    // lookups of users; the flag and the counts are set in two statements instead, as the migrations do.
    await client.query('ALTER TABLE employments DISABLE TRIGGER employments_share_counts');
    await client.query('ALTER TABLE employments DISABLE TRIGGER employments_user_banned');
    await copyRows(
      client,
      'employments',
      'user_id, brand_id, shares, title, salary, since, shares_reached_at, recent_shares, recent_as_of, recent_reached_at',
      sizes.employments,
      (function* () {
        for (let i = 0; i < sizes.employments; i++) {
          const shares = randomShares();
          const title = titleForShares(shares);
          const reached = now - Math.floor(Math.random() * 365 * DAY);
          const since = new Date(reached - Math.floor(Math.random() * 30 * DAY)).toISOString();
          const recent = Math.floor(Math.random() * Math.min(shares, 200));
          const reachedAt = new Date(reached).toISOString();
          yield (
            `${userIds[pairUser[i]!]}\t${brandIds[pairBrand[i]!]}\t${shares}\t${title}\t${salaryFor(title, shares)}\t` +
            `${since}\t${reachedAt}\t${recent}\t${asOf}\t${reachedAt}\n`
          );
        }
      })(),
    );
    await client.query(
      `UPDATE employments e SET user_banned = true FROM users u WHERE u.id = e.user_id AND u.banned_at IS NOT NULL`,
    );
    await client.query(
      `INSERT INTO brand_share_counts (brand_id, shares, employees)
       SELECT brand_id, shares, count(*) FROM employments WHERE NOT user_banned GROUP BY brand_id, shares`,
    );
    await client.query('ALTER TABLE employments ENABLE TRIGGER employments_user_banned');
    await client.query('ALTER TABLE employments ENABLE TRIGGER employments_share_counts');
    process.stderr.write('VACUUM ANALYZE …\n');
    await client.query('VACUUM ANALYZE users, brands, employments, brand_share_counts');
    const biggest = perBrand
      .map((employees, i) => ({ id: brandIds[i]!, slug: `brand-${i}`, employees }))
      .sort((a, b) => b.employees - a.employees)
      .slice(0, 1000);
    return { url, sizes, biggest, seconds: (Date.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}
