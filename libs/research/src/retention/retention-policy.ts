import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig, Clock, JobRegistry, JobScheduler } from '@boardroom/core';
import { StorageDriver } from '@boardroom/media';
import { PhotosService } from '@boardroom/photos';
import { ExportJobsRepository } from '../jobs/export-jobs.repository.js';
import { RetentionRepository, type EventPosition } from './retention.repository.js';

declare module '@boardroom/core' {
  interface JobPayloads {
    'retention.purge': { slot: string };
  }
}

/** Rows per statement: each batch is its own short transaction (PGlite serves nothing else during one). */
const BATCH = 1000;
/** Photos and archives per page: each is deleted from storage, one by one. */
const FILE_BATCH = 100;
/**
 * Finished jobs are kept at least this long whatever RETENTION_EXPIRED_TOKEN_DAYS says: a scheduled job's unique
 * key must outlive its slot (a week at most), or the slot would be enqueued again.
 */
const MIN_FINISHED_JOB_DAYS = 8;
const DAY_MS = 86_400_000;

/** What one run purged. */
export interface RetentionSummary {
  /** Events whose fingerprint hashes were nulled. */
  fingerprints: number;
  fingerprintAccounts: number;
  refreshTokens: number;
  sessions: number;
  emailTokens: number;
  rateLimits: number;
  jobs: number;
  archives: number;
  photos: number;
  /** Files storage failed to delete: their rows keep the keys, and the next run tries again. */
  failures: number;
}

/**
 * The daily retention job (docs/privacy.md): forgets fingerprint hashes older than RETENTION_FINGERPRINT_DAYS,
 * deletes spent tokens, ended sessions, expired rate-limit windows and finished jobs, deletes export archives
 * older than RETENTION_EXPORT_ARCHIVE_DAYS (their jobs become EXPIRED), and the files of photos deleted or removed
 * longer than RETENTION_REMOVED_ORIGINAL_DAYS ago. Idempotent: what is purged no longer matches, so a second run
 * finds nothing.
 */
@Injectable()
export class RetentionPolicy implements OnModuleInit {
  private readonly logger = new Logger(RetentionPolicy.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly retention: RetentionRepository,
    private readonly exportJobs: ExportJobsRepository,
    private readonly photos: PhotosService,
    private readonly storage: StorageDriver,
    private readonly config: AppConfig,
    private readonly registry: JobRegistry,
    private readonly scheduler: JobScheduler,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register('retention.purge', async () => {
      const summary = await this.purge();
      // Thrown after the rest is done, so the job is retried for what storage refused.
      if (summary.failures > 0) throw new Error(`Retention: ${summary.failures} file(s) could not be deleted`);
    });
    this.scheduler.schedule('retention.purge', 'daily', (slot) => ({ slot: slot.toISOString() }));
  }

  async purge(now: Date = this.clock.now()): Promise<RetentionSummary> {
    const days = this.config.retention;
    const ago = (n: number) => new Date(now.getTime() - n * DAY_MS);
    const manager = this.dataSource.manager;
    const fingerprintsBefore = ago(days.fingerprintDays);
    const tokensBefore = ago(days.expiredTokenDays);
    const jobsBefore = ago(Math.max(days.expiredTokenDays, MIN_FINISHED_JOB_DAYS));
    const photos = await this.purgePhotoFiles(ago(days.removedOriginalDays));
    const archives = await this.purgeArchives(ago(days.exportArchiveDays));
    const summary: RetentionSummary = {
      fingerprints: await this.forgetFingerprints(fingerprintsBefore),
      fingerprintAccounts: await untilDone((limit) =>
        this.retention.deleteFingerprintAccounts(manager, fingerprintsBefore, limit),
      ),
      refreshTokens: await untilDone((limit) =>
        this.retention.deleteExpiredRefreshTokens(manager, tokensBefore, limit),
      ),
      sessions: await untilDone((limit) => this.retention.deleteEndedSessions(manager, tokensBefore, limit)),
      emailTokens: await untilDone((limit) => this.retention.deleteSpentEmailTokens(manager, tokensBefore, limit)),
      rateLimits: await untilDone((limit) => this.retention.deleteExpiredRateLimits(manager, tokensBefore, limit)),
      jobs: await untilDone((limit) => this.retention.deleteFinishedJobs(manager, jobsBefore, limit)),
      archives: archives.purged,
      photos: photos.purged,
      failures: archives.failures + photos.failures,
    };
    this.logger.log(
      `Retention: ${summary.fingerprints} event fingerprint(s) and ${summary.fingerprintAccounts} fingerprint account(s) forgotten, ` +
        `${summary.refreshTokens} refresh token(s), ${summary.sessions} session(s), ${summary.emailTokens} email token(s), ` +
        `${summary.rateLimits} rate-limit window(s) and ${summary.jobs} finished job(s) deleted, ` +
        `${summary.archives} archive(s) deleted, ${summary.photos} removed photo(s)' files deleted` +
        (summary.failures > 0 ? `; ${summary.failures} file(s) could not be deleted (retried next run)` : ''),
    );
    return summary;
  }

  /** Keyset batches over the events that still carry a hash (a row the trigger refused would not loop). */
  private async forgetFingerprints(before: Date): Promise<number> {
    let after: EventPosition | null = null;
    let total = 0;
    for (;;) {
      const { count, last } = await this.retention.forgetEventFingerprints(
        this.dataSource.manager,
        before,
        after,
        BATCH,
      );
      total += count;
      if (count < BATCH || !last) return total;
      after = last;
    }
  }

  /** Each archive deleted from storage, then its job marked EXPIRED: a failed deletion leaves the job as it was. */
  private async purgeArchives(before: Date): Promise<{ purged: number; failures: number }> {
    let after: { finishedAt: string; id: string } | null = null;
    let purged = 0;
    let failures = 0;
    for (;;) {
      const page = await this.exportJobs.archivesFinishedBefore(this.dataSource.manager, before, after, FILE_BATCH);
      for (const job of page) {
        try {
          await this.storage.delete(job.storageKey);
          await this.exportJobs.expired(this.dataSource.manager, job.id, job.storageKey);
          purged += 1;
        } catch (error) {
          failures += 1;
          this.logger.warn(`Retention: archive ${job.storageKey} not deleted: ${(error as Error).message}`);
        }
      }
      if (page.length < FILE_BATCH) return { purged, failures };
      after = page[page.length - 1]!;
    }
  }

  private async purgePhotoFiles(before: Date): Promise<{ purged: number; failures: number }> {
    let after: string | null = null;
    let purged = 0;
    let failures = 0;
    for (;;) {
      const page = await this.photos.filesToPurge(before, after, FILE_BATCH);
      for (const id of page) {
        try {
          if (await this.photos.purgeFiles(id)) purged += 1;
        } catch (error) {
          failures += 1;
          this.logger.warn(`Retention: files of photo ${id} not deleted: ${(error as Error).message}`);
        }
      }
      if (page.length < FILE_BATCH) return { purged, failures };
      after = page[page.length - 1]!;
    }
  }
}

/** Runs a batch until one deletes fewer than a full batch; returns the total. */
async function untilDone(batch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const count = await batch(BATCH);
    total += count;
    if (count < BATCH) return total;
  }
}
