/**
 * On SIGTERM or SIGINT, shuts down gracefully; if that takes longer than
 * `timeoutMs`, exits anyway so an orchestrator is never left waiting.
 */
export function runUntilSignalled(close: () => Promise<void>, timeoutMs: number): void {
  const stop = (signal: NodeJS.Signals) => {
    console.error(`${signal} received: shutting down`);
    const timer = setTimeout(() => {
      console.error(`Shutdown took longer than ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
