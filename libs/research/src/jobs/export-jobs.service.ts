import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  Clock,
  DomainError,
  EventLog,
  JobQueue,
  JobRegistry,
  inTransaction,
  isUuid,
  type JobInfo,
} from '@boardroom/core';
import { Role, type Viewer } from '@boardroom/accounts';
import { BrandsService } from '@boardroom/brands';
import { StorageDriver } from '@boardroom/media';
import type { ExportWindow } from '../export/export-source.repository.js';
import type { ExportSummary } from '../export/package-files.js';
import { ExportRunner } from '../export/export-runner.js';
import { ResearchExporter } from '../export/research-exporter.js';
import type { ExportFormat } from '../export/table-writers.js';
import { PersonalDataExport } from '../personal/personal-data-export.js';
import { ResearchProjects } from '../projects/research-projects.js';
import { zipFiles } from './export-archive.js';
import type { ExportJobRecord, ResearchExportParams } from './export-job.record.js';
import { ExportJobsRepository } from './export-jobs.repository.js';

declare module '@boardroom/core' {
  interface JobPayloads {
    'research.export': { exportId: string };
  }
}

export interface ResearchExportInput {
  from: Date;
  to: Date;
  brandSlugs?: string[] | null;
  format: ExportFormat;
  project?: string | null;
}

/** The longest window one export covers. */
const MAX_WINDOW_DAYS = 400;
/** How long a download URL stays valid. */
const DOWNLOAD_URL_SECONDS = 15 * 60;

/**
 * Export jobs: a researcher asks (the job row and its worker job in one transaction, and an audited event),
 * the worker writes the export into a temporary folder, zips it into storage, and the job reports its
 * rows as it goes and a short-lived download URL when done.
 */
@Injectable()
export class ExportJobs implements OnModuleInit {
  private readonly logger = new Logger(ExportJobs.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: ExportJobsRepository,
    private readonly projects: ResearchProjects,
    private readonly exporter: ResearchExporter,
    private readonly runner: ExportRunner,
    private readonly personal: PersonalDataExport,
    private readonly brands: BrandsService,
    private readonly storage: StorageDriver,
    private readonly queue: JobQueue,
    private readonly registry: JobRegistry,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register('research.export', (payload, job) => this.run(payload.exportId, job));
  }

  async requestResearch(viewer: Viewer, input: ResearchExportInput): Promise<ExportJobRecord> {
    const params = await this.researchParams(input);
    return inTransaction(this.dataSource, async (manager) => {
      const project = await this.projects.open(manager, viewer.id, input.project ?? 'default');
      const job = await this.jobs.insert(manager, {
        kind: 'RESEARCH',
        requestedBy: viewer.id,
        projectId: project.id,
        format: input.format,
        params,
        createdAt: this.clock.now(),
      });
      await this.queue.enqueue('research.export', { exportId: job.id }, { manager, uniqueKey: `export:${job.id}` });
      await this.events.record(manager, {
        action: 'research.export_requested',
        actorId: viewer.id,
        targetType: 'export_job',
        targetId: job.id,
        meta: {
          project: project.name,
          format: input.format,
          from: params.from,
          to: params.to,
          brands: params.brandSlugs,
        },
      });
      return job;
    });
  }

  /**
   * The caller's own data as a download, through the same jobs: one at a time (asking again while one is
   * queued or running returns that one).
   */
  async requestMyData(viewer: Viewer): Promise<ExportJobRecord> {
    return inTransaction(this.dataSource, async (manager) => {
      await this.jobs.lockRequester(manager, viewer.id);
      const pending = await this.jobs.pendingPersonal(manager, viewer.id);
      if (pending) return pending;
      const job = await this.jobs.insert(manager, {
        kind: 'PERSONAL',
        requestedBy: viewer.id,
        projectId: null,
        format: 'JSONL',
        params: {},
        createdAt: this.clock.now(),
      });
      await this.queue.enqueue('research.export', { exportId: job.id }, { manager, uniqueKey: `export:${job.id}` });
      await this.events.record(manager, {
        action: 'account.data_requested',
        actorId: viewer.id,
        targetType: 'export_job',
        targetId: job.id,
        meta: {},
      });
      return job;
    });
  }

  /**
   * The operator's export from the command line, into a folder: the same files as a job's archive, under the
   * operator's project `project` (its own pseudonyms), recorded in the audit log like a researcher's.
   */
  async exportToFolder(
    input: ResearchExportInput,
    outDir: string,
    onProgress: (rows: number, events: number) => void,
  ): Promise<ExportSummary> {
    const params = await this.researchParams(input);
    const exportId = `cli-${this.clock.now().toISOString().replace(/[:.]/g, '-')}`;
    const project = await inTransaction(this.dataSource, async (manager) => {
      const opened = await this.projects.open(manager, null, input.project ?? 'default');
      await this.events.record(manager, {
        action: 'research.export_requested',
        targetType: 'export_job',
        targetId: exportId,
        meta: {
          project: opened.name,
          format: input.format,
          from: params.from,
          to: params.to,
          brands: params.brandSlugs,
          via: 'cli',
        },
      });
      return opened;
    });
    const window = this.windowOf(params);
    const events = await this.exporter.eventCount(window);
    const { summary } = await this.runner.run({
      window,
      brandSlugs: params.brandSlugs,
      format: input.format,
      project,
      exportId,
      outDir,
      onProgress: (rows) => onProgress(rows, events),
    });
    return summary;
  }

  /** The job, for whoever asked for it and administrators; null for anyone else. */
  async find(viewer: Viewer, id: string): Promise<ExportJobRecord | null> {
    if (!isUuid(id)) return null;
    const job = await this.jobs.find(this.dataSource.manager, id);
    if (!job) return null;
    return job.requestedBy === viewer.id || viewer.roles.includes(Role.ADMIN) ? job : null;
  }

  /** A short-lived URL of the finished archive (null before it is done, or once purged). */
  async downloadUrl(job: ExportJobRecord): Promise<string | null> {
    if (job.status !== 'DONE' || !job.storageKey) return null;
    return this.storage.url(job.storageKey, { expiresInSeconds: DOWNLOAD_URL_SECONDS });
  }

  /** The worker's side: idempotent (a finished job is left alone; a retried one starts over). */
  async run(exportId: string, job: Pick<JobInfo, 'attempt' | 'maxAttempts'>): Promise<void> {
    const manager = this.dataSource.manager;
    const record = await this.jobs.find(manager, exportId);
    if (!record || (record.status !== 'QUEUED' && record.status !== 'RUNNING')) return;
    const dir = await mkdtemp(path.join(os.tmpdir(), `boardroom-export-${exportId}-`));
    try {
      await this.jobs.started(manager, exportId, this.clock.now());
      const rows =
        record.kind === 'RESEARCH'
          ? (await this.writeResearchExport(record, dir)).rows
          : await this.personal.write(record.requestedBy!, dir);
      const storageKey = `exports/${exportId}.zip`;
      await this.storage.put(storageKey, zipFiles(dir, await filesUnder(dir)), { contentType: 'application/zip' });
      await this.jobs.done(manager, exportId, { rows, storageKey, at: this.clock.now() });
      this.logger.log(
        `${record.kind === 'RESEARCH' ? 'Research export' : 'Personal data'} ${exportId} done: ${rows} rows`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (job.attempt < job.maxAttempts) throw error;
      await this.jobs.failed(manager, exportId, `The export failed: ${message}`, this.clock.now());
      this.logger.error(`Export ${exportId} failed for good: ${message}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async writeResearchExport(record: ExportJobRecord, dir: string): Promise<ExportSummary> {
    const params = record.params as ResearchExportParams;
    const project = await this.projects.find(this.dataSource.manager, record.projectId!);
    let reported = 0;
    const { summary } = await this.runner.run({
      window: this.windowOf(params),
      brandSlugs: params.brandSlugs,
      format: record.format,
      project,
      exportId: record.id,
      outDir: dir,
      // Progress at most every 20,000 rows: each report is a statement.
      onProgress: (rows) => {
        if (rows - reported < 20_000) return;
        reported = rows;
        // Not awaited (the export goes on); a failed report is only a stale count, but it must not go unhandled.
        this.jobs.progress(this.dataSource.manager, record.id, rows).catch((error: unknown) => {
          this.logger.warn(`Export ${record.id}: progress not saved (${String(error)})`);
        });
      },
    });
    return summary;
  }

  private windowOf(params: ResearchExportParams): ExportWindow {
    return { from: new Date(params.from), to: new Date(params.to), brandIds: params.brandIds };
  }

  /** The window and brands of a research export, checked. */
  private async researchParams(input: ResearchExportInput): Promise<ResearchExportParams> {
    const from = new Date(input.from);
    const to = new Date(input.to);
    if (!(from < to)) {
      throw DomainError.badInput('The window must end after it starts.', [
        { field: 'to', message: 'must be after from' },
      ]);
    }
    if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * 86_400_000) {
      throw DomainError.badInput(`One export covers at most ${MAX_WINDOW_DAYS} days; split the window.`, [
        { field: 'to', message: `must be within ${MAX_WINDOW_DAYS} days of from` },
      ]);
    }
    let brandIds: string[] | null = null;
    const brandSlugs = input.brandSlugs && input.brandSlugs.length > 0 ? [...new Set(input.brandSlugs)] : null;
    if (brandSlugs) {
      brandIds = [];
      for (const slug of brandSlugs) {
        const brand = await this.brands.findBySlug(slug);
        if (!brand) throw DomainError.notFound(`A brand with the slug ${slug}`);
        brandIds.push(brand.id);
      }
    }
    return { from: from.toISOString(), to: to.toISOString(), brandIds, brandSlugs };
  }
}

/** Every file under the folder, as paths relative to it (the personal download has a folder per photo). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
