import { GAME_RULES } from '@boardroom/game';

/**
 * Every threshold of the fraud detectors in one place. A detector's version names the rules it runs
 * with: change a number here and bump that detector's version, and the next run re-evaluates the whole
 * log under the new rules.
 */
export interface DetectionRules {
  /** Events read per batch; each batch is one short transaction. */
  readonly batchSize: number;
  readonly duplicatePhotos: {
    readonly version: string;
    /** Perceptual hashes at most this many bits apart are one picture (the game's duplicate rule). */
    readonly maxHammingDistance: number;
    /** A group is suspicious when its photos come from at least this many accounts. */
    readonly minDistinctUsers: number;
    /** Neighbours listed in a photo's evidence, nearest first. */
    readonly evidenceNeighbours: number;
  };
}

export const DETECTION_RULES: DetectionRules = {
  batchSize: 500,
  duplicatePhotos: {
    version: '1',
    maxHammingDistance: GAME_RULES.duplicates.maxHammingDistance,
    minDistinctUsers: 2,
    evidenceNeighbours: 5,
  },
};
