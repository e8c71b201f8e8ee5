import { median } from '../report/metric-functions.js';
import type { DetectionRules } from '../detection-rules.js';

export const HOUR_MS = 60 * 60 * 1000;

/** The start of the UTC hour of `at`. */
export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

/** The median absolute deviation from the median. */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((value) => Math.abs(value - center)));
}

export interface BurstJudgement {
  burst: boolean;
  z: number;
  median: number;
  mad: number;
}

/**
 * Whether an hour's count is far above the brand's own baseline: a robust z-score (count − median) /
 * (1.4826 · MAD), 1.4826 making the MAD comparable to a standard deviation. Median and MAD, unlike mean
 * and deviation, are not moved by the bursts in the baseline itself. The MAD has a floor: most hours of a
 * small brand are zero (MAD 0), where any activity would be infinitely unusual; the minimum count does
 * the rest.
 */
export function judgeHour(
  count: number,
  baseline: readonly number[],
  rules: Pick<DetectionRules['bursts'], 'minZ' | 'minEvents' | 'minMad'>,
): BurstJudgement {
  const center = median(baseline);
  const deviation = mad(baseline, center);
  const z = (count - center) / (1.4826 * Math.max(deviation, rules.minMad));
  return { burst: count >= rules.minEvents && z >= rules.minZ, z, median: center, mad: deviation };
}

/** The score of a burst's flags: low when a declared campaign explains it, else by z up to the cap. */
export function burstScore(
  z: number,
  explained: boolean,
  rules: Pick<DetectionRules['bursts'], 'maxScore' | 'fullScoreZ' | 'explainedScore'>,
): number {
  if (explained) return rules.explainedScore;
  return Math.round(rules.maxScore * Math.min(1, Math.max(0, z) / rules.fullScoreZ) * 1000) / 1000;
}
