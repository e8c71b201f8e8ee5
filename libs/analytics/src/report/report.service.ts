import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, DomainError, JobQueue, JobRegistry, JobScheduler, slotStart } from '@boardroom/core';
import type { Viewer } from '@boardroom/accounts';
import { BrandsService, type BrandRecord } from '@boardroom/brands';
import { clusterEvidenceSentence } from './cluster-evidence.js';
import { REPORT_METRICS, type MetricContext, type MetricDefinition } from './metrics.js';
import { ReportRepository, type EngagementBreakdown } from './report.repository.js';
import {
  REPORT_WINDOWS,
  REPORT_WINDOW_DAYS,
  reportRange,
  type AuthenticityReportRecord,
  type ReportRange,
  type ReportWindow,
} from './report.types.js';

declare module '@boardroom/core' {
  interface JobPayloads {
    /** Hourly: every brand with activity, every window. On demand: one brand's window. */
    'analytics.report': { slot: string; brandId?: string; window?: ReportWindow };
  }
}

/** The groups a report lists at most: the most suspicious first. */
export const REPORT_MAX_CLUSTERS = 50;

/**
 * The per-brand authenticity reports: computed by the `analytics.report` job from the ledger, the events
 * and the detectors' flags (hourly for every brand with activity, and on demand when one is asked for and
 * missing), stored, and read by the brand's managers and administrators.
 */
@Injectable()
export class ReportService implements OnModuleInit {
  private readonly logger = new Logger(ReportService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reports: ReportRepository,
    private readonly brands: BrandsService,
    private readonly queue: JobQueue,
    private readonly registry: JobRegistry,
    private readonly scheduler: JobScheduler,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register('analytics.report', async (payload) => {
      if (payload.brandId) {
        for (const window of payload.window ? [payload.window] : REPORT_WINDOWS)
          await this.compute(payload.brandId, window);
      } else {
        await this.computeAll();
      }
    });
    this.scheduler.schedule('analytics.report', 'hourly', (slot) => ({ slot: slot.toISOString() }));
  }

  /**
   * The stored report of the brand's window, for its managers and administrators. When there is none yet,
   * null, and the job that computes it is scheduled (once per brand, window and hour however often asked).
   * A report computed before the detectors' latest run (a new brand's first report, or one computed in
   * the same hour before them) is returned and computed again, once per detector run.
   */
  async report(viewer: Viewer, brandSlug: string, window: ReportWindow): Promise<AuthenticityReportRecord | null> {
    const brand = await this.requireBrand(brandSlug);
    if (!(await this.brands.canManage(viewer, brand.id)))
      throw new DomainError('FORBIDDEN', `Only the managers of ${brand.name} may read its authenticity report.`);
    const stored = await this.reports.find(this.dataSource.manager, brand.id, window);
    const detectedAt = await this.reports.lastDetectorRunAt(this.dataSource.manager);
    const slot = slotStart('hourly', this.clock.now()).toISOString();
    if (!stored) {
      await this.enqueue(brand.id, window, slot, slot);
    } else if (detectedAt && stored.computedAt < detectedAt) {
      await this.enqueue(brand.id, window, slot, `detected:${detectedAt.toISOString()}`);
    }
    return stored;
  }

  private async enqueue(brandId: string, window: ReportWindow, slot: string, reason: string): Promise<void> {
    await this.queue.enqueue(
      'analytics.report',
      { slot, brandId, window },
      { uniqueKey: `analytics.report:${brandId}:${window}:${reason}` },
    );
  }

  /** Every window of every brand with an event in the longest window. */
  async computeAll(): Promise<number> {
    const now = this.clock.now();
    const longest = Math.max(...Object.values(REPORT_WINDOW_DAYS));
    const brandIds = await this.reports.activeBrandIds(
      this.dataSource.manager,
      new Date(now.getTime() - longest * 86_400_000),
    );
    for (const brandId of brandIds) {
      for (const window of REPORT_WINDOWS) await this.compute(brandId, window, now);
    }
    this.logger.log(`Authenticity reports computed for ${brandIds.length} brand(s)`);
    return brandIds.length;
  }

  /**
   * Computes and stores one report, its window ending now. Each query is its own short statement, not one
   * long transaction: on PGlite a long transaction would stall every request meanwhile.
   */
  async compute(
    brandId: string,
    window: ReportWindow,
    now: Date = this.clock.now(),
  ): Promise<AuthenticityReportRecord> {
    const range = reportRange(brandId, window, now);
    const manager = this.dataSource.manager;
    let engagement: Promise<EngagementBreakdown> | null = null;
    const context: MetricContext = {
      range,
      manager,
      repository: this.reports,
      engagement: () => (engagement ??= this.reports.engagement(manager, range)),
    };
    const metrics = [];
    for (const metric of REPORT_METRICS) metrics.push(await this.valueOf(metric, context));
    const breakdown = await context.engagement();
    const report: AuthenticityReportRecord = {
      brandId,
      window,
      from: range.from,
      to: range.to,
      computedAt: this.clock.now(),
      score: metrics.find((metric) => metric.key === 'authentic_engagement_share')!.value,
      activeEmployees: breakdown.activeEmployees,
      metrics,
      clusters: await this.clustersOf(range),
    };
    await this.reports.save(manager, report);
    return report;
  }

  private async valueOf(metric: MetricDefinition, context: MetricContext) {
    const computed = await metric.compute(context);
    const { value, explanation } =
      typeof computed === 'number' ? { value: computed, explanation: metric.explanation } : computed;
    return { key: metric.key, label: metric.label, value, explanation };
  }

  private async clustersOf(range: ReportRange): Promise<AuthenticityReportRecord['clusters']> {
    const rows = await this.reports.clustersOfBrand(this.dataSource.manager, range, REPORT_MAX_CLUSTERS);
    return rows.map((row) => ({
      clusterId: row.id,
      kind: row.kind,
      detector: row.detector,
      userIds: row.userIds,
      score: row.score,
      evidence: clusterEvidenceSentence(row, row.userIds.length),
    }));
  }

  private async requireBrand(slug: string): Promise<BrandRecord> {
    const brand = await this.brands.findBySlug(slug);
    if (!brand) throw DomainError.notFound('The brand');
    return brand;
  }
}
