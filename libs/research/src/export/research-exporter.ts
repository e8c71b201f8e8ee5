import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig, Clock } from '@boardroom/core';
import { noisyCount } from '../differential-privacy.js';
import { planGeneralization } from '../k-anonymity.js';
import { Pseudonymizer } from '../pseudonyms.js';
import type { ResearchProject } from '../projects/research-projects.js';
import {
  DAILY_COUNT_ACTIONS,
  DAILY_COUNTS_TABLE,
  EXPORT_TABLES,
  type ExportRow,
  type TableSpec,
} from './export-tables.js';
import { ExportSourceRepository, type ExportWindow } from './export-source.repository.js';
import { exportReadme, dataPackage, type ExportedFile, type ExportSummary } from './package-files.js';
import { FILE_EXTENSIONS, openTableWriter, type ExportFormat } from './table-writers.js';

const BATCH_SIZE = 5000;

export interface ResearchExportRequest {
  window: ExportWindow;
  /** The brands' slugs as asked (null: all), for the package's description. */
  brandSlugs: readonly string[] | null;
  format: ExportFormat;
  project: ResearchProject;
  /** The export job's id, or a name for a command-line export: how the package names itself. */
  exportId: string;
  /** Where the files go: an empty folder. */
  outDir: string;
  /** Rows written so far, after each batch. */
  onProgress?: (rows: number) => void;
}

/**
 * Reads batches after a keyset position until one comes back short. The next batch is asked for before
 * the current one is handed on: the database reads it while this process transforms and writes (on two
 * cores about a third faster than taking turns).
 */
async function* keysetBatches<T>(
  fetch: (after: string | null) => Promise<T[]>,
  position: (row: T) => string,
): AsyncGenerator<T[]> {
  let next: Promise<T[]> | null = fetch(null);
  try {
    while (next) {
      const rows: T[] = await next;
      next = rows.length === BATCH_SIZE ? fetch(position(rows.at(-1)!)) : null;
      if (rows.length > 0) yield rows;
    }
  } finally {
    // Stopped early (the writer failed): the batch in flight is not wanted, nor is its failure.
    next?.catch(() => {});
  }
}

/**
 * A research export into a folder: each table streamed in keyset batches (each batch one short statement),
 * pseudonymized under the project's key, written batch by batch in the chosen format; then the Data
 * Package descriptor, the README and the checksums. Memory stays at a batch, whatever the window's size.
 */
@Injectable()
export class ResearchExporter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly source: ExportSourceRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Events in the window: the total a progress bar counts against (the other tables are far smaller). */
  eventCount(window: ExportWindow): Promise<number> {
    return this.source.eventCount(this.dataSource.manager, window);
  }

  async export(request: ResearchExportRequest): Promise<ExportSummary> {
    const manager = this.dataSource.manager;
    const { window } = request;
    const pseudonyms = new Pseudonymizer(request.project.key);
    const user = (id: string | null) => (id === null ? null : pseudonyms.of('user', id));
    const classes = await this.source.accountClasses(manager, window);
    const k = this.config.research.k;
    const plan = planGeneralization(
      classes.map((row) => ({ ids: row, count: row.count })),
      k,
    );

    // Counted while the events stream by (events come first), not by a count per brand over the whole window.
    const eventsByBrand = new Map<string, number>();
    const tables: Record<TableSpec['name'], () => AsyncGenerator<ExportRow[]>> = {
      events: () =>
        this.mapped(
          keysetBatches(
            (after) => this.source.events(manager, window, after, BATCH_SIZE),
            (row) => row.id,
          ),
          (row) => {
            if (row.brandSlug !== null) eventsByBrand.set(row.brandSlug, (eventsByBrand.get(row.brandSlug) ?? 0) + 1);
            return {
              actor: user(row.actorId),
              action: row.action,
              brand: row.brandSlug,
              target_type: row.targetType,
              target: row.targetId === null ? null : pseudonyms.of(Pseudonymizer.kindOf(row.targetType), row.targetId),
              hour: row.hour,
              actor_flags: row.actorFlags ?? '',
              action_flags: row.actionFlags ?? '',
            };
          },
        ),
      accounts: () =>
        this.mapped(
          keysetBatches(
            (after) => this.source.accounts(manager, window, after, BATCH_SIZE),
            (row) => row.id,
          ),
          (row) => {
            const published = plan.publish(row);
            return {
              account: user(row.id),
              signup_week: published.signupWeek,
              brands: published.brands,
              top_title: published.topTitle,
              titles_held: row.brands,
              trust_tier: row.trustTier,
              flags: row.flags ?? '',
              generalization_level: published.level,
            };
          },
        ),
      brands: () =>
        this.mapped(
          keysetBatches(
            (after) => this.source.brands(manager, window, after, BATCH_SIZE),
            (row) => row.id,
          ),
          (row) => ({
            brand: row.slug,
            claimed: row.claimed,
            employees: row.employees,
            published_photos: row.publishedPhotos,
            events: eventsByBrand.get(row.slug) ?? 0,
          }),
        ),
      invites: () =>
        this.mapped(
          keysetBatches(
            (after) => this.source.invites(manager, window, after, BATCH_SIZE),
            (row) => row.id,
          ),
          (row) => ({
            inviter: user(row.inviterId),
            invitee: user(row.inviteeId),
            accepted_week: row.acceptedWeek,
            qualified: row.qualified,
            flagged: row.flagged,
            flag_reason: row.flagReason,
            revoked: row.revoked,
          }),
        ),
      duplicate_clusters: () =>
        this.mapped(
          keysetBatches(
            (after) => this.source.duplicateClusterMembers(manager, window, after, BATCH_SIZE),
            (row) => row.position,
          ),
          (row) => ({
            cluster: pseudonyms.of('cluster', row.clusterId),
            photo: pseudonyms.of('photo', row.photoId),
            owner: user(row.ownerId),
            detector_version: row.detectorVersion,
          }),
        ),
      daily_counts: () => this.dailyCounts(window, dpEpsilon ?? 1, dpMaxEventsPerCell),
    };

    const { dpEpsilon, dpMaxEventsPerCell } = this.config.research;
    let written = 0;
    const files: ExportedFile[] = [];
    for (const table of dpEpsilon === null ? EXPORT_TABLES : [...EXPORT_TABLES, DAILY_COUNTS_TABLE]) {
      const file = `${table.name}.${FILE_EXTENSIONS[request.format]}`;
      const writer = openTableWriter(request.format, path.join(request.outDir, file), table.columns);
      let rows = 0;
      try {
        for await (const batch of tables[table.name]()) {
          await writer.write(batch);
          rows += batch.length;
          written += batch.length;
          request.onProgress?.(written);
        }
      } finally {
        await writer.close();
      }
      files.push(await describeFile(request.outDir, file, table, rows));
    }

    const summary: ExportSummary = {
      exportId: request.exportId,
      project: request.project.name,
      format: request.format,
      from: window.from,
      to: window.to,
      brandSlugs: request.brandSlugs,
      createdAt: this.clock.now(),
      files,
      rows: written,
      k,
      generalizedAccounts: plan.generalized,
      suppressedAccounts: plan.suppressed,
      dataUseTerms: this.config.research.dataUseTerms,
      differentialPrivacy: dpEpsilon === null ? null : { epsilon: dpEpsilon, maxEventsPerCell: dpMaxEventsPerCell },
    };
    await writeFile(
      path.join(request.outDir, 'datapackage.json'),
      JSON.stringify(dataPackage(summary), null, 2) + '\n',
    );
    await writeFile(path.join(request.outDir, 'README.md'), exportReadme(summary));
    const checksums = await Promise.all(
      ['datapackage.json', 'README.md'].map(
        async (name) => `${await sha256(path.join(request.outDir, name))}  ${name}`,
      ),
    );
    await writeFile(
      path.join(request.outDir, 'SHA256SUMS'),
      [...files.map((file) => `${file.sha256}  ${file.path}`), ...checksums].join('\n') + '\n',
    );
    return summary;
  }

  /** The noisy daily counts, a page of brands at a time (all the days and actions of each, about a batch). */
  private async *dailyCounts(
    window: ExportWindow,
    epsilon: number,
    maxPerAccount: number,
  ): AsyncGenerator<ExportRow[]> {
    const days = Math.max(1, Math.ceil((window.to.getTime() - window.from.getTime()) / 86_400_000) + 1);
    const brandsPerPage = Math.max(1, Math.floor(BATCH_SIZE / (days * DAILY_COUNT_ACTIONS.length)));
    let after: string | null = null;
    for (;;) {
      const cells = await this.source.dailyCounts(
        this.dataSource.manager,
        window,
        DAILY_COUNT_ACTIONS,
        maxPerAccount,
        after,
        brandsPerPage,
      );
      if (cells.length === 0) return;
      yield cells.map((cell) => ({
        brand: cell.slug,
        day: cell.day,
        action: cell.action,
        noisy_count: noisyCount(cell.count, epsilon, maxPerAccount),
      }));
      after = cells.at(-1)!.brandId;
    }
  }

  private async *mapped<S>(batches: AsyncGenerator<S[]>, map: (row: S) => ExportRow): AsyncGenerator<ExportRow[]> {
    for await (const batch of batches) yield batch.map(map);
  }
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function describeFile(dir: string, name: string, table: TableSpec, rows: number): Promise<ExportedFile> {
  const file = path.join(dir, name);
  return { table, path: name, rows, bytes: (await stat(file)).size, sha256: await sha256(file) };
}
