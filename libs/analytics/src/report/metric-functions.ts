/**
 * The pure arithmetic of the authenticity report: the repository reads numbers over a window, these
 * turn them into the report's values. Every function returns a number in 0..1 and 0 for an empty input
 * (nothing to be unequal, concentrated or retained), so a quiet brand reads as quiet, not as broken.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Only non-negative finite amounts count: a report never divides by a reversal. */
function amountsOf(values: readonly number[]): number[] {
  return values.filter((value) => Number.isFinite(value) && value > 0);
}

/**
 * The Gini coefficient of the amounts (0: everyone earned alike; towards 1: one earned everything),
 * over the ones who earned: (2 Σ i·x_(i)) / (n Σ x) − (n + 1) / n with the amounts sorted ascending.
 */
export function gini(values: readonly number[]): number {
  const sorted = amountsOf(values).sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((sum, value) => sum + value, 0);
  if (n === 0 || total === 0) return 0;
  const weighted = sorted.reduce((sum, value, i) => sum + (i + 1) * value, 0);
  return clamp01((2 * weighted) / (n * total) - (n + 1) / n);
}

/** The Herfindahl–Hirschman index of the amounts' shares, Σ s²: 1/n when even, 1 for one earner. */
export function hhi(values: readonly number[]): number {
  const amounts = amountsOf(values);
  const total = amounts.reduce((sum, value) => sum + value, 0);
  if (total === 0) return 0;
  return clamp01(amounts.reduce((sum, value) => sum + (value / total) ** 2, 0));
}

/**
 * The share of the total earned by the top `fraction` of earners (at least one earner): against the
 * 90-9-1 rule, where the top 1 % of a community makes most of its content.
 */
export function topShare(values: readonly number[], fraction = 0.01): number {
  const sorted = amountsOf(values).sort((a, b) => b - a);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  if (total === 0) return 0;
  const top = Math.max(1, Math.ceil(sorted.length * fraction));
  return clamp01(sorted.slice(0, top).reduce((sum, value) => sum + value, 0) / total);
}

export interface CohortMember {
  joinedAt: Date;
  /** When the member acted in the brand (any order; times before joining are ignored). */
  activeAt: readonly Date[];
}

export interface Retention {
  /** The share of the eligible members active again `days` days or more after joining. */
  value: number;
  /** Members who joined at least `days` days before `asOf`: the ones whose day N has come. */
  eligible: number;
}

/**
 * Rolling Day-N retention: of the members who joined at least `days` days before `asOf`, the share who
 * acted again `days` days or more after joining (and before `asOf`). Members whose day N is still ahead
 * are left out rather than counted as lost.
 */
export function retention(cohort: readonly CohortMember[], days: number, asOf: Date): Retention {
  const span = days * DAY_MS;
  const eligible = cohort.filter((member) => member.joinedAt.getTime() + span <= asOf.getTime());
  if (eligible.length === 0) return { value: 0, eligible: 0 };
  const retained = eligible.filter((member) =>
    member.activeAt.some((at) => at.getTime() >= member.joinedAt.getTime() + span && at.getTime() <= asOf.getTime()),
  ).length;
  return { value: retained / eligible.length, eligible: eligible.length };
}

export interface CommentEdge {
  /** Who commented. */
  from: string;
  /** The owner of the photo commented on. */
  to: string;
  at: Date;
  /** Whether the comment is one of the window's (the others may only answer one). */
  inWindow: boolean;
}

/**
 * The share of the window's commenting pairs (A commented B's photo, A ≠ B) where B commented one of
 * A's photos within `withinMs` of one of those comments, before or after. High values mark rings that
 * trade comments for shares; organic audiences rarely answer every commenter in kind.
 */
export function reciprocity(edges: readonly CommentEdge[], withinMs = DAY_MS): number {
  const timesOf = new Map<string, number[]>();
  const pairKey = (from: string, to: string) => JSON.stringify([from, to]);
  for (const edge of edges) {
    if (edge.from === edge.to) continue;
    const key = pairKey(edge.from, edge.to);
    timesOf.set(key, [...(timesOf.get(key) ?? []), edge.at.getTime()]);
  }
  const pairs = new Map<string, { from: string; to: string; times: number[] }>();
  for (const edge of edges) {
    if (!edge.inWindow || edge.from === edge.to) continue;
    const key = pairKey(edge.from, edge.to);
    const pair = pairs.get(key) ?? { from: edge.from, to: edge.to, times: [] };
    pair.times.push(edge.at.getTime());
    pairs.set(key, pair);
  }
  if (pairs.size === 0) return 0;
  let reciprocated = 0;
  for (const pair of pairs.values()) {
    const answers = timesOf.get(pairKey(pair.to, pair.from)) ?? [];
    if (pair.times.some((at) => answers.some((answer) => Math.abs(answer - at) <= withinMs))) reciprocated++;
  }
  return reciprocated / pairs.size;
}

/** part / whole in 0..1, 0 when there is no whole. */
export function shareOf(part: number, whole: number): number {
  return whole > 0 ? clamp01(part / whole) : 0;
}

/** The median (0 for none). */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Float noise (1.0000000002) never leaves 0..1. */
function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
