import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { AuthenticityReportRecord, ClusterSummary, MetricValue, ReportWindow } from '../report.types.js';

export const ReportWindowEnum = {
  LAST_7_DAYS: 'LAST_7_DAYS',
  LAST_30_DAYS: 'LAST_30_DAYS',
  LAST_90_DAYS: 'LAST_90_DAYS',
} as const satisfies Record<ReportWindow, ReportWindow>;
registerEnumType(ReportWindowEnum, {
  name: 'ReportWindow',
  description: 'The days an authenticity report covers, ending when it was computed.',
});

@ObjectType('AuthenticityMetric')
export class AuthenticityMetricDto {
  @Field({ description: 'Stable, snake_case: what clients key on (e.g. lockstep_share).' }) key!: string;
  @Field() label!: string;
  @Field(() => Float) value!: number;
  @Field({ description: 'One sentence: what the value means and how it was computed for this window.' })
  explanation!: string;

  static from(metric: MetricValue): AuthenticityMetricDto {
    return Object.assign(new AuthenticityMetricDto(), metric);
  }
}

@ObjectType('SuspiciousCluster')
export class SuspiciousClusterDto {
  @Field({ description: 'LOCKSTEP, PHOTOS, SHARED_DEVICE, SHARED_NETWORK, CAPTIVE_AUDIENCE, …' }) kind!: string;
  @Field(() => Float, { description: '0..1: how sure the detector is.' }) score!: number;
  @Field({ description: 'One sentence: what the group did.' }) evidence!: string;

  /** Not a GraphQL field: `users` is resolved from it. */
  record!: ClusterSummary;

  static from(cluster: ClusterSummary): SuspiciousClusterDto {
    return Object.assign(new SuspiciousClusterDto(), {
      kind: cluster.kind,
      score: cluster.score,
      evidence: cluster.evidence,
      record: cluster,
    });
  }
}

@ObjectType('AuthenticityReport')
export class AuthenticityReportDto {
  @Field(() => ReportWindowEnum) window!: ReportWindow;
  @Field() from!: Date;
  @Field() to!: Date;
  @Field() computedAt!: Date;
  @Field(() => Float, { description: '0..1, the share of the window’s earning engagement judged organic.' })
  authenticityScore!: number;
  @Field(() => Int, { description: 'Employees who earned shares in the brand in the window.' })
  activeEmployees!: number;
  @Field(() => [AuthenticityMetricDto]) metrics!: AuthenticityMetricDto[];
  @Field(() => [SuspiciousClusterDto], {
    description: 'Flagged groups naming the brand’s employees or photos, most suspicious first.',
  })
  suspiciousClusters!: SuspiciousClusterDto[];

  /** Not a GraphQL field: `brand` is resolved from it. */
  record!: AuthenticityReportRecord;

  static from(record: AuthenticityReportRecord): AuthenticityReportDto {
    return Object.assign(new AuthenticityReportDto(), {
      window: record.window,
      from: record.from,
      to: record.to,
      computedAt: record.computedAt,
      authenticityScore: record.score,
      activeEmployees: record.activeEmployees,
      metrics: record.metrics.map((metric) => AuthenticityMetricDto.from(metric)),
      suspiciousClusters: record.clusters.map((cluster) => SuspiciousClusterDto.from(cluster)),
      record,
    });
  }
}
