import { daysBefore } from './rules/calendar.js';

export * from './rules/calendar.js';

/**
 * The rules of the game (GAME.md): every number in one versioned object, read by the pure functions
 * below. Operators change a number here, bump `version`, and nothing else changes. Every function takes
 * the rules as its last parameter (GAME_RULES by default) so tests can vary the numbers, and takes
 * "now" as a `Date` from the caller's injected `Clock`: nothing here reads the wall clock.
 */

/** Titles from lowest to highest; CEO is a seat, not a share threshold. */
export const TITLES = ['INTERN', 'ASSOCIATE', 'MANAGER', 'DIRECTOR', 'VICE_PRESIDENT', 'CEO'] as const;
export type Title = (typeof TITLES)[number];
/** The titles that follow total shares. */
export type ShareTitle = Exclude<Title, 'CEO'>;
export const SHARE_TITLES = TITLES.filter((title): title is ShareTitle => title !== 'CEO');

export const AWARD_CODES = [
  'FIRST_PHOTO',
  'BRAND_HOPPER',
  'STREAK_7',
  'RECRUITER',
  'PROMOTED_MANAGER',
  'CEO',
  'CRITIC',
  'FOUNDER',
] as const;
export type AwardCode = (typeof AWARD_CODES)[number];

/** An award as shown to users; its criterion is evaluated from domain events elsewhere. */
export interface AwardDefinition {
  readonly name: string;
  readonly description: string;
  readonly sharesBonus: number;
  /** Granted once per user and brand (in that brand) rather than once per user. */
  readonly perBrand: boolean;
}

export interface GameRules {
  /** Which rules a number came from: the date they took effect. */
  readonly version: string;
  /** Shares each earning action gives. */
  readonly shares: {
    readonly photoPublished: number;
    readonly commentPosted: number;
    readonly inviteQualified: number;
  };
  /** Earning entries per UTC day (the day of the ledger entry); a reversal does not free a slot. */
  readonly caps: { readonly earningPhotosPerUserBrandDay: number; readonly earningCommentsPerUserDay: number };
  readonly comments: {
    readonly minVisibleCharacters: number;
    /** A body equal to one of the author's last this-many comments earns nothing. */
    readonly repeatWindow: number;
  };
  /** Perceptual hashes of `hashBits` bits at most `maxHammingDistance` apart are one picture. */
  readonly duplicates: { readonly maxHammingDistance: number; readonly hashBits: number };
  /** An invitee on the inviter's network this soon after signing up is the inviter, for payment purposes. */
  readonly invites: { readonly sameNetworkWindowHours: number };
  /** The shares each title below CEO needs, at least. */
  readonly titles: { readonly [T in ShareTitle]: number };
  readonly ceo: { readonly minShares: number; readonly minRecentShares: number; readonly recentWindowDays: number };
  /** Yearly salary in whole units: base by title plus perShare for every share. */
  readonly salary: { readonly base: { readonly [T in Title]: number }; readonly perShare: number };
  readonly payroll: {
    /** The JobScheduler cadence: 'weekly' slots start on Monday 00:00 UTC. */
    readonly cadence: 'weekly';
    /** A week's pay is salary / weeksPerYear, rounded down. */
    readonly weeksPerYear: number;
    /** Paid only with a positive ledger entry this many days before the run. */
    readonly activityWindowDays: number;
  };
  readonly offers: { readonly defaultPrice: number };
  readonly awards: { readonly [C in AwardCode]: AwardDefinition };
}

export const GAME_RULES = {
  version: '2026-12-02',
  shares: { photoPublished: 10, commentPosted: 1, inviteQualified: 25 },
  caps: { earningPhotosPerUserBrandDay: 5, earningCommentsPerUserDay: 20 },
  comments: { minVisibleCharacters: 3, repeatWindow: 20 },
  duplicates: { maxHammingDistance: 6, hashBits: 64 },
  invites: { sameNetworkWindowHours: 24 },
  titles: { INTERN: 0, ASSOCIATE: 50, MANAGER: 200, DIRECTOR: 500, VICE_PRESIDENT: 1_000 },
  ceo: { minShares: 1_000, minRecentShares: 1, recentWindowDays: 60 },
  salary: {
    base: {
      INTERN: 18_000,
      ASSOCIATE: 32_000,
      MANAGER: 55_000,
      DIRECTOR: 90_000,
      VICE_PRESIDENT: 150_000,
      CEO: 250_000,
    },
    perShare: 20,
  },
  payroll: { cadence: 'weekly', weeksPerYear: 52, activityWindowDays: 30 },
  offers: { defaultPrice: 0 },
  awards: {
    FIRST_PHOTO: {
      name: 'First day at work',
      description: 'Published a first photo.',
      sharesBonus: 5,
      perBrand: false,
    },
    BRAND_HOPPER: {
      name: 'Brand hopper',
      description: 'Employed by 5 brands.',
      sharesBonus: 10,
      perBrand: false,
    },
    STREAK_7: {
      name: 'Seven-day streak',
      description: 'Published a photo on 7 consecutive days.',
      sharesBonus: 10,
      perBrand: false,
    },
    RECRUITER: {
      name: 'Recruiter',
      description: 'Brought in 5 people whose invites qualified.',
      sharesBonus: 15,
      perBrand: false,
    },
    PROMOTED_MANAGER: {
      name: 'Promoted to manager',
      description: 'Reached MANAGER in a brand.',
      sharesBonus: 5,
      perBrand: true,
    },
    CEO: {
      name: 'Corner office',
      description: "Took a brand's CEO seat.",
      sharesBonus: 20,
      perBrand: true,
    },
    CRITIC: {
      name: 'Critic',
      description: 'Wrote 50 comments that earned shares.',
      sharesBonus: 5,
      perBrand: false,
    },
    FOUNDER: {
      name: 'Founder',
      description: 'Created a brand that 10 other people then published photos of.',
      sharesBonus: 10,
      perBrand: true,
    },
  },
} as const satisfies GameRules;

// Titles

/** 0 for INTERN up to 5 for CEO. */
export function titleRank(title: Title): number {
  return TITLES.indexOf(title);
}

/** Negative, 0 or positive as `a` is below, equal to or above `b`: a sort comparator. */
export function compareTitles(a: Title, b: Title): number {
  return titleRank(a) - titleRank(b);
}

/** The highest title below CEO whose threshold `shares` meets: it only rises with shares. */
export function titleForShares(shares: number, rules: GameRules = GAME_RULES): ShareTitle {
  let title: ShareTitle = 'INTERN';
  for (const candidate of SHARE_TITLES) if (shares >= rules.titles[candidate]) title = candidate;
  return title;
}

// Salary and payroll

/** Yearly salary in whole units; `shares` is the employment's (never negative) balance. */
export function salaryFor(title: Title, shares: number, rules: GameRules = GAME_RULES): number {
  return rules.salary.base[title] + rules.salary.perShare * shares;
}

/** One week of a yearly salary, rounded down so payroll never pays more than the salary. */
export function weeklyPay(salary: number, rules: GameRules = GAME_RULES): number {
  return Math.floor(salary / rules.payroll.weeksPerYear);
}

/** Entries at or after this instant, and before the run, count as activity for payroll. */
export function payrollActivityStart(runAt: Date, rules: GameRules = GAME_RULES): Date {
  return daysBefore(runAt, rules.payroll.activityWindowDays);
}

/**
 * Whether an employment is paid at a run: its latest entry with positive shares is within the
 * activity window, the start (exactly 30 days before) included and the run itself excluded.
 */
export function payrollEligible(lastPositiveEntryAt: Date | null, runAt: Date, rules: GameRules = GAME_RULES): boolean {
  if (!lastPositiveEntryAt) return false;
  const at = lastPositiveEntryAt.getTime();
  return at >= payrollActivityStart(runAt, rules).getTime() && at < runAt.getTime();
}

// Caps and comments

export function dailyPhotoCapReached(earningToday: number, rules: GameRules = GAME_RULES): boolean {
  return earningToday >= rules.caps.earningPhotosPerUserBrandDay;
}

export function dailyCommentCapReached(earningToday: number, rules: GameRules = GAME_RULES): boolean {
  return earningToday >= rules.caps.earningCommentsPerUserDay;
}

// Characters that take no room on screen: spaces, controls, format characters (zero-width joiners,
// direction marks), default-ignorables (variation selectors, Hangul fillers) and the blank Braille
// pattern, all used to pad a comment to a length it does not have.
const INVISIBLE = String.raw`\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800`;
const ALL_INVISIBLE = new RegExp(`^[${INVISIBLE}]*$`, 'u');
const INVISIBLE_RUNS = new RegExp(`[${INVISIBLE}]+`, 'gu');
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The characters a reader sees: grapheme clusters (an emoji with its modifiers is one) that are not blank. */
export function visibleLength(body: string): number {
  let length = 0;
  for (const { segment } of graphemes.segment(body)) if (!ALL_INVISIBLE.test(segment)) length++;
  return length;
}

/** A body as the repeat rule compares it: "Nice!", " nice! " and "ｎｉｃｅ!" are one comment. */
function comparableBody(body: string): string {
  return body.normalize('NFKC').toLowerCase().replace(INVISIBLE_RUNS, ' ').trim();
}

export interface CommentForCredit {
  /** The comment is on one of the author's own photos. */
  onOwnPhoto: boolean;
  body: string;
  /** Bodies of the author's earlier comments, newest first; those beyond the repeat window are ignored. */
  previousBodies: readonly string[];
  /** The author's earning comments so far in the comment's UTC day, all brands. */
  earningToday: number;
}

export type CommentWithheld = 'OWN_PHOTO' | 'TOO_SHORT' | 'REPEAT' | 'DAILY_CAP';

/**
 * What a comment earns, and why not when it earns nothing. The cap is checked last: a comment that
 * earns nothing for another reason must not be reported as capped.
 */
export function commentCredit(
  comment: CommentForCredit,
  rules: GameRules = GAME_RULES,
): { shares: number; withheld: CommentWithheld | null } {
  const withheld = commentWithheld(comment, rules);
  return { shares: withheld ? 0 : rules.shares.commentPosted, withheld };
}

function commentWithheld(comment: CommentForCredit, rules: GameRules): CommentWithheld | null {
  if (comment.onOwnPhoto) return 'OWN_PHOTO';
  if (visibleLength(comment.body) < rules.comments.minVisibleCharacters) return 'TOO_SHORT';
  const body = comparableBody(comment.body);
  const recent = comment.previousBodies.slice(0, rules.comments.repeatWindow);
  if (recent.some((previous) => comparableBody(previous) === body)) return 'REPEAT';
  if (dailyCommentCapReached(comment.earningToday, rules)) return 'DAILY_CAP';
  return null;
}

// The CEO seat

/** Entries at or after this instant count as recent: an entry exactly 60 days old still does. */
export function recentWindowStart(now: Date, rules: GameRules = GAME_RULES): Date {
  return daysBefore(now, rules.ceo.recentWindowDays);
}

export interface CeoCandidate {
  userId: string;
  /** Total shares in the brand. */
  shares: number;
  /** Net shares of the entries in the recent window. */
  recentShares: number;
  /** When the candidate's current recent count was reached: the earlier wins a tie between challengers. */
  reachedRecentAt: Date;
}

/**
 * Who holds a brand's CEO seat, or null for a vacant seat. Only employees with at least 1,000 shares
 * and 1 recent share may sit; the most recent shares wins; an eligible incumbent tied for the most
 * keeps the seat; between tied challengers the one who reached the count first, then the smaller
 * userId so the answer never depends on the order of `candidates`. Callers leave banned users out.
 */
export function decideCeo(
  candidates: readonly CeoCandidate[],
  incumbentId: string | null,
  rules: GameRules = GAME_RULES,
): string | null {
  const eligible = candidates.filter(
    (candidate) => candidate.shares >= rules.ceo.minShares && candidate.recentShares >= rules.ceo.minRecentShares,
  );
  const most = eligible.reduce((max, candidate) => Math.max(max, candidate.recentShares), 0);
  const leaders = eligible.filter((candidate) => candidate.recentShares === most);
  if (leaders.some((leader) => leader.userId === incumbentId)) return incumbentId;
  const seated = leaders.reduce<CeoCandidate | null>(
    (best, candidate) => (best === null || reachedFirst(candidate, best) ? candidate : best),
    null,
  );
  return seated?.userId ?? null;
}

/** The challengers' tie-break: the earlier to reach the count, then the smaller userId. */
function reachedFirst(a: CeoCandidate, b: CeoCandidate): boolean {
  const at = a.reachedRecentAt.getTime() - b.reachedRecentAt.getTime();
  return at < 0 || (at === 0 && a.userId < b.userId);
}

// Reversals

/**
 * A balance after a signed change, never below 0: a reversal larger than the balance takes it to 0,
 * and `applied` is what the change actually did (what the ledger records), so a later restoration
 * gives back exactly what was taken.
 */
export function applyDelta(balance: number, delta: number): { balance: number; applied: number } {
  const next = Math.max(0, balance + delta);
  return { balance: next, applied: next - balance };
}
