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
  readonly lockstep: {
    readonly version: string;
    /** Accounts acting together at which they are a group. */
    readonly minAccounts: number;
    /** Targets they must all have acted on, each time within the window. */
    readonly minTargets: number;
    readonly windowMinutes: number;
    /** A bound on the targets combined per account (the most shared ones): C(20, 3) = 1140 triples. */
    readonly maxCandidateTargets: number;
    /** Accounts at which a group's score reaches 1. */
    readonly fullScoreAccounts: number;
  };
}

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
    earningActions: ['photo.published', 'comment.posted'],
    maxAgeDays: 7,
    maxFollowers: 0,
    maxBrands: 1,
    score: 0.4,
  },
  lockstep: {
    version: '1',
    minAccounts: 5,
    minTargets: 3,
    windowMinutes: 10,
    maxCandidateTargets: 20,
    fullScoreAccounts: 10,
  },
};
