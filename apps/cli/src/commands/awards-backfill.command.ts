import type { Command } from 'commander';
import { AWARD_CRITERIA, AwardsEngine } from '@boardroom/awards';
import { withContext, withDatabase } from '../cli-database.js';
import { CliModule } from '../cli.module.js';
import { progressBar } from '../progress.js';

export function registerAwardsBackfillCommand(program: Command): void {
  program
    .command('awards:backfill')
    .description(
      'Replay the whole events log through an award newly added (or through every award) and grant what is due, once: awards already granted, and progress already counted, stay as they are. Safe to run again; works with the server running.',
    )
    .option('--award <code>', `one award's code (${AWARD_CRITERIA.map((c) => c.code).join(', ')}); all when left out`)
    .action((options: { award?: string }) =>
      withDatabase((database, config) =>
        withContext(CliModule.forRoot(config, database.url), async (context) => {
          const code = options.award?.toUpperCase();
          const criteria = code ? AWARD_CRITERIA.filter((criterion) => criterion.code === code) : AWARD_CRITERIA;
          if (criteria.length === 0) {
            throw new Error(`No award "${options.award}". Awards: ${AWARD_CRITERIA.map((c) => c.code).join(', ')}.`);
          }
          const engine = context.get(AwardsEngine);
          const bar = progressBar(`Replaying events`, await engine.eventCount());
          let result: { events: number; granted: number };
          try {
            result = await engine.backfill(criteria, (done) => bar.update(done));
          } finally {
            bar.stop();
          }
          const names = criteria.map((c) => c.code).join(', ');
          console.log(`Replayed ${result.events} event(s) through ${names}: granted ${result.granted} award(s).`);
        }),
      ),
    );
}
