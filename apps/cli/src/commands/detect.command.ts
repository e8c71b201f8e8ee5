import type { Command } from 'commander';
import { DetectorRunner, type DetectorRunResult } from '@boardroom/analytics';
import { CreditReviews } from '@boardroom/moderation';
import { withContext, withDatabase } from '../cli-database.js';
import { CliModule } from '../cli.module.js';
import { progressBar } from '../progress.js';

export function registerDetectCommand(program: Command): void {
  program
    .command('detect')
    .description(
      'Run the fraud detectors over the events log from where each stopped (a detector in a new version re-reads the whole log), raise or update their flags, then hold the credit of accounts whose flags reach AUTHENTICITY_WITHHOLD_SCORE (as the hourly job does). Safe to run again; works with the server running.',
    )
    .option('--detector <code>', 'one detector by its code; all when left out')
    .action((options: { detector?: string }) =>
      withDatabase((database, config) =>
        withContext(CliModule.forRoot(config, database.url), async (context) => {
          const runner = context.get(DetectorRunner);
          const code = options.detector?.toUpperCase();
          const codes = code ? [code] : runner.codes();
          if (code && !runner.codes().includes(code)) {
            throw new Error(`No detector "${options.detector}". Detectors: ${runner.codes().join(', ')}.`);
          }
          const total = await runner.eventCount();
          for (const detector of codes) {
            const bar = progressBar(detector, total);
            let result: DetectorRunResult;
            try {
              result = await runner.run(detector, (done) => bar.update(done));
            } finally {
              bar.stop();
            }
            const how = result.reevaluated ? `re-read the log in version ${result.version}` : 'continued';
            console.log(
              `${detector}: ${how}, ${result.events} event(s); ${result.staleFlagsDeleted} stale flag(s) removed.`,
            );
          }
          const held = await context.get(CreditReviews).holdSuspicious();
          console.log(
            `${held.length} account(s) newly held for review (credit withheld at suspicion ≥ ${config.withholdScore}).`,
          );
        }),
      ),
    );
}
