import cliProgress from 'cli-progress';

/** A progress bar on stderr (stdout stays clean for data); plain lines when not a terminal. */
export function progressBar(label: string, total: number): { step(): void; update(done: number): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(24)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { step: () => bar.increment(), update: (done) => bar.update(Math.min(done, total)), stop: () => bar.stop() };
}
