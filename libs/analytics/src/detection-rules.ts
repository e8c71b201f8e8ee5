/**
 * Every threshold of the detectors in one typed object. A detector's `version` names the rules it
 * applies: change a number here and bump the version of the detectors that read it, and their next
 * run re-evaluates the whole log.
 */
export interface DetectionRules {
  readonly nearDuplicates: {
    readonly version: string;
    /** Two perceptual hashes this close (in bits of 64) show the same picture (GAME_RULES.duplicates). */
    readonly maxHammingDistance: number;
    /** A cluster is suspicious only with photos of this many different accounts. */
    readonly minDistinctUsers: number;
    /** Distinct accounts at which a cluster's score reaches 1. */
    readonly fullScoreUsers: number;
    /** A bound on one cluster's search, so one popular picture cannot stall a batch. */
    readonly maxClusterPhotos: number;
  };
  readonly sharedFingerprints: {
    readonly version: string;
    /** Accounts on one device at which they are flagged. */
    readonly minDeviceAccounts: number;
    /** Accounts seen on one network within `networkWindowMinutes` at which they are flagged. */
    readonly minNetworkAccounts: number;
    readonly networkWindowMinutes: number;
    /** Accounts on one device (or network, times the network threshold) at which the score reaches 1. */
    readonly fullScoreDeviceAccounts: number;
  };
  readonly youngAccounts: {
    readonly version: string;
    /** The actions that earn (shares, salary, award progress): the engagement a report counts. */
    readonly earningActions: readonly string[];
    /** An account younger than this at the action is young. */
    readonly maxAgeDays: number;
    /** A young account with more followers than this at the action is not flagged. */
    readonly maxFollowers: number;
    /** A young account active in more brands than this is not flagged. */
    readonly maxBrands: number;
    /** One young account alone is weak evidence: the score of its flags. */
    readonly score: number;
  };
  readonly captiveAudience: {
    readonly version: string;
    /** An owner with fewer published photos has no audience pattern to judge. */
    readonly minOwnerPhotos: number;
    /** A devotee commented on at least this many of the owner's photos, and on this share of them. */
    readonly minDevoteePhotos: number;
    readonly devoteePhotoShare: number;
    /** Devotees at which, and the share of the owner's commenters they must make, the audience is captive. */
    readonly minDevotees: number;
    readonly minDevoteeShare: number;
    /** Devotees at which the score reaches 1: 5 of them (the minimum) score 0.83, above the default withholding confidence. */
    readonly fullScoreDevotees: number;
    /** A network shared with a devotee makes an associate only when at most this many accounts use it. */
    readonly maxAssociateNetworkAccounts: number;
  };
  readonly bursts: {
    readonly version: string;
    /** The actions counted per brand and hour (the earning engagement). */
    readonly earningActions: readonly string[];
    /** The baseline: the brand's previous hours, zeros included. */
    readonly baselineDays: number;
    /** A brand with less history than this before an hour is not judged. */
    readonly minHistoryDays: number;
    /** A burst hour: robust z-score at least this, and at least this many events. */
    readonly minZ: number;
    readonly minEvents: number;
    /** A floor on the MAD, so a brand quiet most hours (MAD 0) does not divide by zero. */
    readonly minMad: number;
    /** An unexplained burst scores 0.6 · min(1, z / fullScoreZ): a burst alone should not hold an account. */
    readonly maxScore: number;
    readonly fullScoreZ: number;
    /** A burst inside a declared campaign: recorded, never withholding. */
    readonly explainedScore: number;
    /** Accounts active in this many unexplained bursts are flagged, with this score. */
    readonly minAccountBursts: number;
    readonly accountScore: number;
  };
  readonly inviteTrust: {
    readonly version: string;
    /** Seeds: accounts this old, earning in this many brands on this many days, with this many followers. */
    readonly seedMinAgeDays: number;
    readonly seedMinBrands: number;
    readonly seedMinActiveDays: number;
    readonly seedMinFollowers: number;
    /** An account another detector flagged this strongly is never a seed. */
    readonly seedMaxSuspicion: number;
    readonly earningActions: readonly string[];
    /** Tiers by relative trust (1 ≈ fully mixed): at least `high` is HIGH, below `low` is LOW. */
    readonly high: number;
    readonly low: number;
    /** A low-trust invite subtree is flagged from this many accounts; its score grows to `maxScore` at `fullScoreAccounts`. */
    readonly minGroupAccounts: number;
    readonly fullScoreAccounts: number;
    readonly minScore: number;
    readonly maxScore: number;
    /** An account that joined by a flagged self-invite (same device, network or email as its inviter): weak alone. */
    readonly selfInviteScore: number;
  };
  readonly lockstep: {
    readonly version: string;
    /**
     * The group shapes that are beyond chance: at least `accounts` accounts that all acted on the same
     * `targets` targets, each time within the window. Fewer shared targets need a bigger crowd: 5 accounts
     * on 3 photos, or 15 on 2.
     */
    readonly shapes: readonly { readonly accounts: number; readonly targets: number }[];
    /**
     * The owner of at least this share of a group's photo targets (and of 2 at least) is its beneficiary,
     * flagged with the group: the engagement was bought for them.
     */
    readonly beneficiaryTargetShare: number;
    readonly windowMinutes: number;
    /** A bound on the targets combined per account (the most shared ones): C(20, 3) = 1140 triples. */
    readonly maxCandidateTargets: number;
    /** Accounts at which a group's score reaches 1. */
    readonly fullScoreAccounts: number;
    /**
     * Repetition: each target the same members shared beyond `repeatFromTargets` leaves this share of the
     * doubt (chance coincidences do not repeat). Members only: a beneficiary keeps the accounts' score,
     * since anyone's photos can be targeted.
     */
    readonly repeatFromTargets: number;
    readonly repeatDoubt: number;
  };
}

/** The actions that earn shares: what the detectors that watch earning read (each rule set names them, for its version). */
const EARNING_ACTIONS: readonly string[] = ['photo.published', 'comment.posted'];

export const DETECTION_RULES: DetectionRules = {
  nearDuplicates: {
    version: '1',
    maxHammingDistance: 6,
    minDistinctUsers: 2,
    fullScoreUsers: 5,
    maxClusterPhotos: 1_000,
  },
  sharedFingerprints: {
    version: '1',
    minDeviceAccounts: 2,
    minNetworkAccounts: 10,
    networkWindowMinutes: 60,
    fullScoreDeviceAccounts: 5,
  },
  youngAccounts: {
    version: '1',
    earningActions: EARNING_ACTIONS,
    maxAgeDays: 7,
    maxFollowers: 0,
    maxBrands: 1,
    score: 0.4,
  },
  captiveAudience: {
    version: '1',
    minOwnerPhotos: 3,
    minDevoteePhotos: 2,
    devoteePhotoShare: 0.5,
    minDevotees: 5,
    minDevoteeShare: 0.5,
    fullScoreDevotees: 6,
    maxAssociateNetworkAccounts: 20,
  },
  bursts: {
    version: '1',
    earningActions: EARNING_ACTIONS,
    baselineDays: 14,
    minHistoryDays: 7,
    minZ: 6,
    minEvents: 20,
    minMad: 1,
    maxScore: 0.6,
    fullScoreZ: 30,
    explainedScore: 0.05,
    minAccountBursts: 2,
    accountScore: 0.5,
  },
  inviteTrust: {
    version: '2',
    seedMinAgeDays: 3,
    seedMinBrands: 2,
    seedMinActiveDays: 2,
    seedMinFollowers: 1,
    seedMaxSuspicion: 0.3,
    earningActions: EARNING_ACTIONS,
    high: 0.5,
    low: 0.1,
    minGroupAccounts: 5,
    fullScoreAccounts: 10,
    minScore: 0.5,
    maxScore: 0.7,
    selfInviteScore: 0.4,
  },
  lockstep: {
    version: '3',
    shapes: [
      { accounts: 5, targets: 3 },
      { accounts: 15, targets: 2 },
    ],
    beneficiaryTargetShare: 2 / 3,
    windowMinutes: 10,
    maxCandidateTargets: 20,
    fullScoreAccounts: 10,
    repeatFromTargets: 3,
    repeatDoubt: 0.8,
  },
};
