import type { Command } from 'commander';
import { Seeders } from '@boardroom/core';
import { withContext, withDatabase } from '../cli-database.js';
import { CliModule } from '../cli.module.js';
import { progressBar } from '../progress.js';
import { FAST_HASHER_WARNING } from '../simulate/fast-insecure-password-hasher.js';
import { currentHour } from './simulate.command.js';

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description(
      'Fill an empty database with a realistic demo world (an organic simulated world of two weeks ending now: users, invites, brands, photos, comments, follows), with a progress bar per part. Written like `simulate`: on simulated time, with a fast insecure password hasher.',
    )
    .option('--size <users>', 'how many demo users', (v) => Number.parseInt(v, 10), 100)
    .action((options: { size: number }) =>
      withDatabase((database, config) =>
        withContext(CliModule.forSimulation(config, database.url, currentHour()), async (context) => {
          if (!Number.isInteger(options.size) || options.size < 1)
            throw new Error('--size must be a positive whole number');
          const seeders = context.get(Seeders).all();
          if (seeders.length === 0) {
            console.log('No seeders are defined yet: nothing to seed.');
            return;
          }
          for (const seeder of seeders) {
            const bar = progressBar(seeder.name, seeder.steps(options.size));
            try {
              await seeder.run(options.size, () => bar.step());
            } finally {
              bar.stop();
            }
          }
          console.log(FAST_HASHER_WARNING);
          console.log(`Seeded a world of ${options.size} users.`);
        }),
      ),
    );
}
