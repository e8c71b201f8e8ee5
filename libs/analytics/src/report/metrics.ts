import { BURSTS } from '../bursts/bursts.detector.js';
import type { EntityManager } from 'typeorm';
import { GAME_RULES } from '@boardroom/game';
import { CAPTIVE_AUDIENCE } from '../captive-audience/captive-audience.detector.js';
import { SHARED_FINGERPRINTS } from '../fingerprints/shared-fingerprints.detector.js';
import { LOCKSTEP_GROUPS } from '../lockstep/lockstep.detector.js';
import { NEAR_DUPLICATE_PHOTOS } from '../near-duplicates/near-duplicate-photos.detector.js';
import { YOUNG_ACCOUNTS } from '../young-accounts/young-accounts.detector.js';
import { gini, hhi, reciprocity, retention, shareOf, topShare } from './metric-functions.js';
import type { EngagementBreakdown, ReportRepository } from './report.repository.js';
import type { ReportRange } from './report.types.js';

/** How close to a title threshold (as a share of it) an entry counts as made with the threshold in sight. */
export const INCENTIVE_NEAR_FRACTION = 0.9;

/** What a metric reads: the window, its queries, and the engagement breakdown computed once for all. */
export interface MetricContext {
  readonly range: ReportRange;
  readonly manager: EntityManager;
  readonly repository: ReportRepository;
  readonly engagement: () => Promise<EngagementBreakdown>;
}

export interface MetricDefinition {
  readonly key: string;
  readonly label: string;
  /** One sentence: what the value means and how it was computed. */
  readonly explanation: string;
  /** The value, with another explanation when this window's data calls for one (no such data yet). */
  compute(context: MetricContext): Promise<number | { value: number; explanation: string }>;
}

/** The share of the window's earning shares that `detector`'s open flags name (account or action). */
const flaggedShareBy =
  (detector: string) =>
  async ({ engagement }: MetricContext): Promise<number> => {
    const breakdown = await engagement();
    return shareOf(breakdown.flaggedSharesByDetector[detector] ?? 0, breakdown.totalShares);
  };

const retentionMetric = (days: number): MetricDefinition => ({
  key: `retention_d${days}`,
  label: `Day-${days} retention`,
  explanation:
    `Of the employees who joined the brand in the window at least ${days} day(s) before its end, the share who ` +
    `acted in the brand again ${days} or more day(s) after joining.`,
  async compute({ manager, repository, range }) {
    const result = retention(await repository.joinedCohort(manager, range), days, range.to);
    if (result.eligible > 0) return result.value;
    return {
      value: 0,
      explanation: `No employee who joined in the window has been here ${days} day(s) yet, so there is no Day-${days} retention to measure.`,
    };
  },
});

/**
 * Every metric of the report, in the order a report lists them. Adding one here adds it to every report
 * the next job computes (and to the guide's list in docs/brands.md).
 */
export const REPORT_METRICS: readonly MetricDefinition[] = [
  {
    key: 'authentic_engagement_share',
    label: 'Authentic engagement',
    explanation:
      'The share of the shares earned in the brand in the window (photos, comments, invites, awards) that came ' +
      'from accounts and actions no detector flags: the report’s authenticity score.',
    async compute({ engagement }) {
      const breakdown = await engagement();
      return breakdown.totalShares > 0 ? 1 - shareOf(breakdown.flaggedShares, breakdown.totalShares) : 1;
    },
  },
  {
    key: 'lockstep_share',
    label: 'Lockstep engagement',
    explanation:
      'The share of the window’s earned shares from accounts found acting in lockstep: groups of 5 or more acting on ' +
      'the same 3 or more photos, brands or proposals within minutes of each other, and the accounts they acted for.',
    compute: flaggedShareBy(LOCKSTEP_GROUPS),
  },
  {
    key: 'duplicate_photo_rate',
    label: 'Duplicate photos',
    explanation:
      'The share of the brand’s photos published in the window that are near-identical copies of a picture another ' +
      'account also uploaded (re-encoded, resized or cropped stock photos).',
    async compute({ manager, repository, range }) {
      const photos = await repository.photosFlaggedBy(manager, range, NEAR_DUPLICATE_PHOTOS);
      return shareOf(photos.flagged, photos.published);
    },
  },
  {
    key: 'shared_fingerprint_share',
    label: 'Shared devices and networks',
    explanation:
      'The share of the window’s earned shares from accounts sharing one device with other accounts, or one network ' +
      'with many accounts at once.',
    compute: flaggedShareBy(SHARED_FINGERPRINTS),
  },
  {
    key: 'invite_tree_trust',
    label: 'Invite-tree trust (median)',
    explanation:
      'The median trust of the brand’s employees, propagated SybilRank-style from long-standing, organically active ' +
      'accounts over accepted invites and returned follows and comments (1: as trusted as a well-connected member, ' +
      '0: nobody outside their own group vouches for them; a flagged self-invite counts 0). Employees with no invite ' +
      'and no returned interaction are not measured.',
    async compute({ manager, repository, range }) {
      const { measured, median } = await repository.employeesTrust(manager, range);
      if (measured > 0) return median;
      return {
        value: 0,
        explanation:
          'Not measured: none of the brand’s employees is in the trust graph yet (no accepted invite, no returned ' +
          'follow or comment), or no account qualifies as a trusted seed yet.',
      };
    },
  },
  {
    key: 'reciprocity_24h',
    label: 'Reciprocal comments within 24 h',
    explanation:
      'Of the pairs where one account commented another’s photo of the brand in the window, the share where the other ' +
      'commented back on one of the first account’s photos within 24 hours: high values suggest comment-trading rings.',
    async compute({ manager, repository, range }) {
      return reciprocity(await repository.commentEdges(manager, range));
    },
  },
  {
    key: 'shares_gini',
    label: 'Inequality of shares earned (Gini)',
    explanation:
      'The Gini coefficient of the shares each employee earned in the window: 0 when everyone earned alike, near 1 when ' +
      'a few earned nearly everything (organic communities are unequal, about 90-9-1; a flat one may be scripted).',
    async compute({ manager, repository, range }) {
      return gini(await repository.sharesEarned(manager, range));
    },
  },
  {
    key: 'shares_hhi',
    label: 'Concentration of shares earned (HHI)',
    explanation:
      'The Herfindahl–Hirschman index of the employees’ shares of the window’s earnings (the sum of their squared ' +
      'shares): 1 when one employee earned everything, 1/n when n earned alike.',
    async compute({ manager, repository, range }) {
      return hhi(await repository.sharesEarned(manager, range));
    },
  },
  {
    key: 'top_1pct_share',
    label: 'Top 1 % share',
    explanation:
      'The share of the window’s earned shares that went to the top 1 % of earning employees (at least one): the ' +
      '90-9-1 rule expects the most active 1 % to make much of a community’s content.',
    async compute({ manager, repository, range }) {
      return topShare(await repository.sharesEarned(manager, range), 0.01);
    },
  },
  {
    key: 'unexplained_burst_share',
    label: 'Unexplained bursts',
    explanation:
      'The share of the window’s earned shares made during bursts of activity far above the brand’s own baseline ' +
      'that the brand did not declare as a campaign.',
    async compute(context) {
      if (!(await context.repository.detectorHasFlags(context.manager, BURSTS))) {
        return {
          value: 0,
          explanation:
            'The burst detector is not there yet (no burst has ever been flagged), so no engagement is counted as an ' +
            'unexplained burst.',
        };
      }
      return flaggedShareBy(BURSTS)(context);
    },
  },
  {
    key: 'young_account_share',
    label: 'Young-account engagement',
    explanation:
      'The share of the window’s earned shares from accounts under 7 days old, followed by no one and active in this ' +
      'brand only when they acted.',
    compute: flaggedShareBy(YOUNG_ACCOUNTS),
  },
  {
    key: 'captive_audience_share',
    label: 'Captive audiences',
    explanation:
      'The share of the window’s earned shares from accounts whose audience is a fixed group commenting on most of ' +
      'their photos, and from that group.',
    compute: flaggedShareBy(CAPTIVE_AUDIENCE),
  },
  retentionMetric(1),
  retentionMetric(7),
  retentionMetric(30),
  {
    key: 'incentive_driven_share',
    label: 'Incentive-driven engagement',
    explanation:
      `The share of the window’s earned shares from actions made with a reward in sight: those that brought an ` +
      `employee to within ${Math.round((1 - INCENTIVE_NEAR_FRACTION) * 100)} % of a title threshold or across it ` +
      `(titles unlock offers), or filled the last earning slot of a daily cap; this is gaming the game, reported ` +
      `apart and not counted as inauthentic.`,
    async compute({ manager, repository, range, engagement }) {
      const { totalShares } = await engagement();
      const shares = await repository.incentiveDrivenShares(manager, range, {
        titleThresholds: Object.values(GAME_RULES.titles).filter((threshold) => threshold > 0),
        nearFraction: INCENTIVE_NEAR_FRACTION,
        photoCap: GAME_RULES.caps.earningPhotosPerUserBrandDay,
        commentCap: GAME_RULES.caps.earningCommentsPerUserDay,
      });
      return shareOf(shares, totalShares);
    },
  },
];
