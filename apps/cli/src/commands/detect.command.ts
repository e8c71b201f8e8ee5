import type { Command } from 'commander';
import { DetectorRunner, type DetectorRunResult } from '@boardroom/analytics';
import { withContext, withDatabase } from '../cli-database.js';
import { CliModule } from '../cli.module.js';
import { progressBar } from '../progress.js';

export function registerDetectCommand(program: Command): void {
  program
    .command('detect')
    .description(
      'Run the fraud detectors over the events log now (the worker also runs them hourly): each reads from where it stopped, or the whole log when its version changed. Safe to run again; works with the server running.',
    )
    .option('--detector <code>', 'one detector’s code; all when left out')
    .action((options: { detector?: string }) =>
      withDatabase((database, config) =>
        withContext(CliModule.forRoot(config, database.url), async (context) => {
          const runner = context.get(DetectorRunner);
          const codes = runner.detectors.map((d) => d.code).join(', ');
          const chosen = options.detector ? runner.detector(options.detector) : undefined;
          if (options.detector && !chosen) throw new Error(`No detector "${options.detector}". Detectors: ${codes}.`);
          const total = await runner.eventCount();
          for (const detector of chosen ? [chosen] : runner.detectors) {
            const bar = progressBar(`${detector.code} v${detector.version}`, total);
            let result: DetectorRunResult;
            try {
              result = await runner.run(detector, (done) => bar.update(done));
            } finally {
              bar.stop();
            }
            const from = result.restarted ? 'from the start of the log' : 'since its last run';
            console.log(`${detector.code} v${detector.version}: read ${result.events} event(s) ${from}.`);
          }
        }),
      ),
    );
}
