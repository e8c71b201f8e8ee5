import path from 'node:path';
import type { Command } from 'commander';
import { withContext, withDatabase } from '../cli-database.js';
import { CliModule } from '../cli.module.js';
import { progressBar } from '../progress.js';
import { FAST_HASHER_WARNING } from '../simulate/fast-insecure-password-hasher.js';
import { FRAUD_DESCRIPTIONS, FRAUD_KINDS, describeFraudMix, parseFraudMix } from '../simulate/fraud-mix.js';
import { writeWorldFiles, worldSummary } from '../simulate/world-labels.js';
import { planWorld, validateParameters, type WorldParameters } from '../simulate/world-plan.js';
import { WorldWriter } from '../simulate/world-writer.js';

const HOUR = 3_600_000;

/** The start of the current UTC hour: the default end, so that a run repeated within the hour is the same world. */
export function currentHour(): Date {
  return new Date(Math.floor(Date.now() / HOUR) * HOUR);
}

function whole(value: string): number {
  return /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
}

interface SimulateOptions {
  users: number;
  brands: number;
  days: number;
  fraud: string;
  seed: number;
  end?: string;
  out?: string;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(
      'Write a synthetic world into an empty database through the product’s own services (sign-ups with invites, ' +
        'brands, photo uploads processed by their job, comments, follows), on simulated time ending now (or --end), ' +
        'with planted, labelled fraud. The same options give the same world. The labels (who is organic, who is in ' +
        'which fraud group, stock photos, campaign windows) go to <out>/labels.json, never into the tables; counts ' +
        'to <out>/world.json. Stop the api and the worker first: their job runners would process the photos on the ' +
        `wall clock. Passwords are hashed with a fast insecure hasher: never use such a database in production.`,
    )
    .option('--users <n>', 'organic users (fraud accounts come on top)', whole, 200)
    .option('--brands <n>', 'brands (their popularity follows Zipf)', whole, 10)
    .option('--days <n>', 'days of simulated time', whole, 7)
    .option(
      '--fraud <mix>',
      `groups of planted fraud, e.g. overt:2,stealthy:1, or none. Kinds: ${FRAUD_KINDS.map((k) => `${k} (${FRAUD_DESCRIPTIONS[k]})`).join('; ')}`,
      'none',
    )
    .option('--seed <n>', 'seed of the world (0 to 4294967295)', whole, 1)
    .option('--end <time>', 'when the world ends, ISO 8601 (default: the start of the current UTC hour)')
    .option('--out <dir>', 'where labels.json and world.json go (default: ./simulation-<seed>)')
    .addHelpText(
      'after',
      '\nExample:\n  npm run cli -- simulate --users 200 --brands 8 --days 7 --fraud overt:2,stealthy:1,lockstep:1,stock:1,rings:1,swarm:1 --seed 42\n',
    )
    .action(async (options: SimulateOptions) => {
      const parameters: WorldParameters = {
        users: options.users,
        brands: options.brands,
        days: options.days,
        fraud: parseFraudMix(options.fraud),
        seed: options.seed,
        end: options.end ? new Date(options.end) : currentHour(),
      };
      validateParameters(parameters);
      const out = path.resolve(options.out ?? `simulation-${parameters.seed}`);
      const plan = planWorld(parameters);
      console.error(FAST_HASHER_WARNING);
      await withDatabase((database, config) =>
        withContext(CliModule.forSimulation(config, database.url, parameters.end), async (context) => {
          const bar = progressBar('Simulating', plan.actions.length);
          let world;
          try {
            world = await context.get(WorldWriter).write(plan, () => bar.step());
          } finally {
            bar.stop();
          }
          const files = await writeWorldFiles(out, plan, world);
          const summary = worldSummary(plan, world);
          console.log(FAST_HASHER_WARNING);
          console.log(
            `Simulated ${parameters.days} day(s) from ${summary.start} to ${summary.end}, seed ${parameters.seed}, ` +
              `fraud ${describeFraudMix(parameters.fraud)}: ${plan.accounts.length} accounts, ${plan.brands.length} brands, ` +
              `${summary.photosUploaded} photos, ${summary.planned.comments} comments planned, ${summary.planned.follows} follows planned.`,
          );
          console.log(`${world.actions} actions in ${summary.seconds} s (${summary.actionsPerSecond} actions/s).`);
          if (Object.keys(world.refused).length > 0)
            console.log(`Refused by the product: ${JSON.stringify(world.refused)}`);
          console.log(`Every account's password: ${summary.password}`);
          console.log(`Labels: ${files.labels}\nSummary: ${files.summary}`);
        }),
      );
    });
}
