export type FlagSubjectType = 'ACCOUNT' | 'PHOTO' | 'EVENT';

/** A flag as a detector raises it: one per detector and subject, updated in place by later runs. */
export interface RaisedFlag {
  subjectType: FlagSubjectType;
  subjectId: string;
  score: number;
  evidence: Record<string, unknown>;
  clusterId: string | null;
}

/** A group of subjects a detector flagged together (a farm, a ring, the copies of one picture). */
export interface RaisedCluster {
  kind: string;
  /** The detector's stable name for the cluster. */
  key: string;
  members: { type: FlagSubjectType; id: string }[];
  score: number;
  evidence: Record<string, unknown>;
}

export interface FlagRecord extends RaisedFlag {
  id: string;
  detectorCode: string;
  detectorVersion: string;
  state: 'OPEN' | 'APPEALED' | 'CLEARED' | 'CONFIRMED';
  createdAt: Date;
  updatedAt: Date;
}
