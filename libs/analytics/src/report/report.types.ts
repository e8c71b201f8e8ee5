/** The windows a report covers, each ending when it was computed. */
export const REPORT_WINDOWS = ['LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_90_DAYS'] as const;
export type ReportWindow = (typeof REPORT_WINDOWS)[number];

export const REPORT_WINDOW_DAYS = {
  LAST_7_DAYS: 7,
  LAST_30_DAYS: 30,
  LAST_90_DAYS: 90,
} as const satisfies Record<ReportWindow, number>;

/** One window of one brand: what every metric query reads, `from` inclusive, `to` exclusive. */
export interface ReportRange {
  brandId: string;
  window: ReportWindow;
  from: Date;
  to: Date;
}

export function reportRange(brandId: string, window: ReportWindow, to: Date): ReportRange {
  return { brandId, window, from: new Date(to.getTime() - REPORT_WINDOW_DAYS[window] * 86_400_000), to };
}

export interface MetricValue {
  key: string;
  label: string;
  value: number;
  explanation: string;
}

export interface ClusterSummary {
  clusterId: string;
  /** The detector's kind of group: LOCKSTEP, PHOTOS, SHARED_DEVICE, SHARED_NETWORK, CAPTIVE_AUDIENCE, … */
  kind: string;
  detector: string;
  /** The accounts of the group: its member accounts, and the owners of its member photos. */
  userIds: string[];
  score: number;
  /** One sentence a brand manager can read. */
  evidence: string;
}

export interface AuthenticityReportRecord {
  brandId: string;
  window: ReportWindow;
  from: Date;
  to: Date;
  computedAt: Date;
  /** 0..1: the share of the window's earning shares from accounts and actions no detector flags. */
  score: number;
  activeEmployees: number;
  metrics: MetricValue[];
  clusters: ClusterSummary[];
}
