/**
 * The detectors' evaluation (issue 9): simulated worlds with planted, labelled fraud, written through the
 * product's services, then every detector run over the log; flagged accounts are compared with the labels.
 *
 *   npm run bench -- authenticity
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- authenticity   # faster
 *
 * Settings (environment): BENCH_AUTHENTICITY_SEEDS (default 1,2,3), BENCH_AUTHENTICITY_USERS (organic users
 * per world, 200), BENCH_AUTHENTICITY_DAYS (7), BENCH_AUTHENTICITY_BRANDS (8), BENCH_AUTHENTICITY_FRAUD (the mix
 * of the fraud worlds). Every seed gives one world with the mix and one organic-only world.
 *
 * An account counts as flagged when its suspicion (the detectors' account flags combined, see
 * `accountSuspicion`) reaches the confidence at which credit is withheld. Per fraud kind: recall (its
 * accounts flagged) and precision against organic accounts (flagged accounts of that kind over those plus
 * the organic accounts flagged in the same world), i.e. the precision a world of organic users and that one
 * kind of fraud would show. The false-positive rate is measured on the organic-only worlds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { EmbeddedPostgres, loadConfig, migrateUp, type AppConfig } from '@boardroom/core';
import { DetectorRunner, accountSuspicion } from '@boardroom/analytics';
import { withContext } from '../apps/cli/src/cli-database.js';
import { CliModule } from '../apps/cli/src/cli.module.js';
import {
  FRAUD_KINDS,
  describeFraudMix,
  noFraud,
  parseFraudMix,
  type FraudKind,
  type FraudMix,
} from '../apps/cli/src/simulate/fraud-mix.js';
import { worldLabels, type WorldLabels } from '../apps/cli/src/simulate/world-labels.js';
import { planWorld, type WorldParameters } from '../apps/cli/src/simulate/world-plan.js';
import { WorldWriter } from '../apps/cli/src/simulate/world-writer.js';
import { benchServerUrl, machineLine, withBenchDatabase } from './game-support.js';

const TARGETS = { overtPrecision: 0.99, overtRecall: 0.93, stealthyRecall: 0.8, organicFalsePositives: 0.01 };
const END = new Date('2026-11-30T12:00:00.000Z');

interface WorldOutcome {
  labels: WorldLabels;
  /** The suspicion of every account with at least one account flag, by user id. */
  suspicion: Map<string, number>;
  /** Account flags per detector code, by user id (for the per-detector table). */
  detectors: Map<string, Set<string>>;
  seconds: number;
}

function numberSetting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
  return value;
}

/** A migrated database for one world: on the server when BENCH_DATABASE_URL is set, else embedded. */
async function withWorldDatabase<T>(dataDir: string, work: (url: string) => Promise<T>): Promise<T> {
  const server = process.env.BENCH_DATABASE_URL;
  if (server) return withBenchDatabase(server, work);
  const embedded = await EmbeddedPostgres.start(path.join(dataDir, 'db'));
  try {
    await migrateUp(embedded.url);
    return await work(embedded.url);
  } finally {
    await embedded.stop();
  }
}

async function accountFlags(url: string): Promise<{ userId: string; detector: string; score: number }[]> {
  const dataSource = new DataSource({ type: 'postgres', url });
  await dataSource.initialize();
  try {
    return await dataSource.query(
      `SELECT subject_id AS "userId", detector, max(score)::float8 AS score FROM flags
        WHERE subject_type = 'ACCOUNT' AND state <> 'CLEARED' GROUP BY subject_id, detector`,
    );
  } finally {
    await dataSource.destroy();
  }
}

async function evaluateWorld(parameters: WorldParameters): Promise<WorldOutcome> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-bench-authenticity-'));
  try {
    const config: AppConfig = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      FINGERPRINT_SECRET: 'a'.repeat(32),
    });
    return await withWorldDatabase(dataDir, async (url) => {
      const started = process.hrtime.bigint();
      const plan = planWorld(parameters);
      const labels = await withContext(CliModule.forSimulation(config, url, parameters.end), async (context) =>
        worldLabels(plan, await context.get(WorldWriter).write(plan, () => undefined)),
      );
      await withContext(CliModule.forRoot(config, url), (context) => context.get(DetectorRunner).runAll());
      const flags = await accountFlags(url);
      const byUser = new Map<string, number[]>();
      const detectors = new Map<string, Set<string>>();
      for (const flag of flags) {
        byUser.set(flag.userId, [...(byUser.get(flag.userId) ?? []), flag.score]);
        detectors.set(flag.detector, (detectors.get(flag.detector) ?? new Set()).add(flag.userId));
      }
      const suspicion = new Map([...byUser].map(([userId, scores]) => [userId, accountSuspicion(scores)]));
      return { labels, suspicion, detectors, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
    });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface Tally {
  accounts: number;
  flagged: number;
}

const ratio = (part: number, whole: number): string => (whole === 0 ? '   n/a' : (part / whole).toFixed(3).padStart(6));

export async function benchAuthenticity(): Promise<void> {
  const seeds = (process.env.BENCH_AUTHENTICITY_SEEDS ?? '1,2,3').split(',').map((seed) => Number(seed.trim()));
  const users = numberSetting('BENCH_AUTHENTICITY_USERS', 200);
  const days = numberSetting('BENCH_AUTHENTICITY_DAYS', 7);
  const brands = numberSetting('BENCH_AUTHENTICITY_BRANDS', 8);
  const mix: FraudMix = parseFraudMix(
    process.env.BENCH_AUTHENTICITY_FRAUD ?? 'overt:2,stealthy:2,lockstep:1,stock:1,rings:1,swarm:1',
  );
  // The confidence at which the product withholds credit (AUTHENTICITY_WITHHOLD_SCORE).
  const threshold = loadConfig().withholdScore;
  console.log(`\nAuthenticity detectors against planted fraud (${machineLine()})`);
  console.log(
    `${seeds.length} seed(s) × (a world of ${users} organic users, ${brands} brands, ${days} days with ` +
      `${describeFraudMix(mix)}, and the same world without fraud); flagged = suspicion ≥ ${threshold}; ` +
      `database: ${benchServerUrl('authenticity') ? 'PostgreSQL server' : 'embedded PGlite'}`,
  );

  const perKind = new Map<FraudKind, Tally & { organicFlagged: number }>();
  const perDetector = new Map<string, { fraud: number; organic: number }>();
  const organicOnly: Tally = { accounts: 0, flagged: 0 };
  for (const seed of seeds) {
    for (const fraud of [mix, noFraud()]) {
      const world = await evaluateWorld({ users, brands, days, fraud, seed, end: END });
      const group = new Map(world.labels.accounts.map((account) => [account.userId, account.group]));
      const flagged = (userId: string) => (world.suspicion.get(userId) ?? 0) >= threshold;
      const organic = world.labels.accounts.filter((account) => account.group === 'organic');
      const organicFlagged = organic.filter((account) => flagged(account.userId)).length;
      for (const [detector, flaggedUsers] of world.detectors) {
        const tally = perDetector.get(detector) ?? { fraud: 0, organic: 0 };
        for (const userId of flaggedUsers) tally[group.get(userId) === 'organic' ? 'organic' : 'fraud']++;
        perDetector.set(detector, tally);
      }
      if (fraud === mix) {
        for (const kind of FRAUD_KINDS) {
          const members = world.labels.accounts.filter((account) => account.group === kind);
          if (members.length === 0) continue;
          const tally = perKind.get(kind) ?? { accounts: 0, flagged: 0, organicFlagged: 0 };
          tally.accounts += members.length;
          tally.flagged += members.filter((account) => flagged(account.userId)).length;
          tally.organicFlagged += organicFlagged;
          perKind.set(kind, tally);
        }
      } else {
        organicOnly.accounts += organic.length;
        organicOnly.flagged += organicFlagged;
      }
      console.log(
        `  seed ${seed}, ${fraud === mix ? 'with fraud' : 'organic only'}: ${world.labels.accounts.length} accounts, ` +
          `${[...world.suspicion.values()].filter((s) => s >= threshold).length} flagged, ${organicFlagged} of them organic ` +
          `(${world.seconds.toFixed(0)} s)`,
      );
    }
  }

  console.log(
    `\n${'fraud kind'.padEnd(12)} ${'accounts'.padStart(9)} ${'recall'.padStart(7)} ${'precision'.padStart(10)}`,
  );
  for (const [kind, tally] of perKind) {
    console.log(
      `${kind.padEnd(12)} ${String(tally.accounts).padStart(9)} ${ratio(tally.flagged, tally.accounts).padStart(7)} ` +
        `${ratio(tally.flagged, tally.flagged + tally.organicFlagged).padStart(10)}`,
    );
  }
  console.log(
    `organic-only worlds: ${organicOnly.flagged} of ${organicOnly.accounts} organic accounts flagged ` +
      `(false-positive rate ${ratio(organicOnly.flagged, organicOnly.accounts).trim()})`,
  );
  console.log(`\n${'detector'.padEnd(24)} accounts flagged: fraud / organic (any score, all worlds)`);
  for (const [detector, tally] of [...perDetector].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${detector.padEnd(24)} ${tally.fraud} / ${tally.organic}`);
  }

  const overt = perKind.get('overt');
  const stealthy = perKind.get('stealthy');
  const checks: [string, boolean][] = [
    [
      `overt precision ≥ ${TARGETS.overtPrecision}`,
      !!overt && overt.flagged / Math.max(1, overt.flagged + overt.organicFlagged) >= TARGETS.overtPrecision,
    ],
    [`overt recall ≥ ${TARGETS.overtRecall}`, !!overt && overt.flagged / overt.accounts >= TARGETS.overtRecall],
    [
      `stealthy recall ≥ ${TARGETS.stealthyRecall}`,
      !!stealthy && stealthy.flagged / stealthy.accounts >= TARGETS.stealthyRecall,
    ],
    [
      `organic false positives ≤ ${TARGETS.organicFalsePositives * 100}%`,
      organicOnly.flagged / Math.max(1, organicOnly.accounts) <= TARGETS.organicFalsePositives,
    ],
  ];
  console.log(`\ntargets: ${checks.map(([what, met]) => `${what} ${met ? 'met' : 'MISSED'}`).join('; ')}`);
}
