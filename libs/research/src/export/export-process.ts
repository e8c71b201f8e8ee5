/**
 * The entry of the process one research export runs in, forked by ExportRunner with its V8 heap capped:
 * it takes the export over IPC, sends its progress and summary back, and exits. A process of its own
 * because V8 lets a heap grow far past its live set before collecting: capped, the export's memory
 * stays flat at any size, and the worker never keeps what an export grew.
 */
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@boardroom/core';
import type { ExportProcessMessage, ExportProcessRequest } from './export-runner.js';
import { ExportProcessModule } from './export-process.module.js';
import { ResearchExporter } from './research-exporter.js';

function send(message: ExportProcessMessage): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send!(message, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}

async function runExport(request: ExportProcessRequest): Promise<void> {
  // The parent's config, as it was validated there (a class instance arrives as a plain object).
  const config = Object.setPrototypeOf(request.config, AppConfig.prototype) as AppConfig;
  const context = await NestFactory.createApplicationContext(ExportProcessModule.forRoot(config, request.databaseUrl), {
    logger: ['error', 'warn'],
  });
  try {
    const { project } = request.export;
    const summary = await context.get(ResearchExporter).export({
      ...request.export,
      project: { ...project, key: Buffer.from(project.key) },
      // A report that cannot be sent means the parent is gone, and `disconnect` ends this process.
      onProgress: (rows) => {
        send({ kind: 'progress', rows }).catch(() => {});
      },
    });
    // maxRSS is in kilobytes.
    await send({ kind: 'done', summary, peakRssMb: process.resourceUsage().maxRSS / 1024 });
  } finally {
    await context.close();
  }
}

if (!process.send) {
  console.error('This is the research export process: the worker and the CLI start it; it is not run by hand.');
  process.exit(64);
}
// The parent gone (a worker stopped or crashed): nothing would read the result; the job is retried.
process.once('disconnect', () => process.exit(1));
process.once('message', (request: ExportProcessRequest) => {
  runExport(request).then(
    () => process.disconnect(),
    async (error: unknown) => {
      await send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }).catch(() => {});
      process.exitCode = 1;
      process.disconnect();
    },
  );
});
