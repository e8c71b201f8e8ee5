import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '@boardroom/core';
import type { ExportSummary } from './package-files.js';
import { ResearchExporter, type ResearchExportRequest } from './research-exporter.js';

/** What the export process is asked: the export, the parent's config and where its database is. */
export interface ExportProcessRequest {
  config: AppConfig;
  databaseUrl: string;
  export: Omit<ResearchExportRequest, 'onProgress'>;
}

/** What the export process reports: rows so far, then its summary and peak memory, or why it failed. */
export type ExportProcessMessage =
  | { kind: 'progress'; rows: number }
  | { kind: 'done'; summary: ExportSummary; peakRssMb: number }
  | { kind: 'failed'; message: string };

/** An export's summary, and the peak memory of its process when it ran in one of its own. */
export interface ExportRun {
  summary: ExportSummary;
  peakRssMb: number | null;
}

const ENTRY = fileURLToPath(new URL('./export-process.js', import.meta.url));

/**
 * Runs a research export in a process of its own whose heap is capped at RESEARCH_EXPORT_HEAP_MB (see
 * export-process.ts for why), or, with 0, in this process. Jobs and the CLI both export through it.
 */
@Injectable()
export class ExportRunner {
  private readonly logger = new Logger(ExportRunner.name);

  constructor(
    private readonly config: AppConfig,
    private readonly exporter: ResearchExporter,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async run(request: ResearchExportRequest): Promise<ExportRun> {
    const heapMb = this.config.research.exportHeapMb;
    if (heapMb === 0) return { summary: await this.exporter.export(request), peakRssMb: null };
    return this.inProcessOfItsOwn(request, heapMb);
  }

  private inProcessOfItsOwn({ onProgress, ...request }: ResearchExportRequest, heapMb: number): Promise<ExportRun> {
    const child = fork(ENTRY, [], {
      execArgv: [`--max-old-space-size=${heapMb}`],
      // Structured clone: dates and the project key's bytes arrive as they left.
      serialization: 'advanced',
      stdio: 'inherit',
    });
    return new Promise<ExportRun>((resolve, reject) => {
      let outcome: Exclude<ExportProcessMessage, { kind: 'progress' }> | null = null;
      child.on('message', (message: ExportProcessMessage) => {
        if (message.kind === 'progress') onProgress?.(message.rows);
        else outcome = message;
      });
      child.once('error', reject);
      // 'close', not 'exit': it comes after the last message has been read.
      child.once('close', (code, signal) => {
        if (outcome?.kind === 'done') {
          this.logger.log(
            `Export ${request.exportId}: ${outcome.summary.rows} rows in a process of its own, peak RSS ${Math.round(outcome.peakRssMb)} MB (heap capped at ${heapMb} MB)`,
          );
          resolve({ summary: outcome.summary, peakRssMb: outcome.peakRssMb });
        } else {
          const reason =
            outcome?.message ??
            (signal === 'SIGABRT'
              ? `its process ran out of memory (heap capped at ${heapMb} MB: raise RESEARCH_EXPORT_HEAP_MB)`
              : `its process ended with ${signal ?? `exit code ${code}`}`);
          reject(new Error(reason));
        }
      });
      const message: ExportProcessRequest = {
        config: this.config,
        databaseUrl: (this.dataSource.options as { url: string }).url,
        export: request,
      };
      child.send(message);
    });
  }
}
