export const PROPOSAL_STATUSES = ['OPEN', 'ACCEPTED', 'DECLINED', 'DONE'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export interface ProposalRecord {
  id: string;
  brandId: string;
  authorId: string;
  title: string;
  body: string;
  votes: number;
  status: ProposalStatus;
  brandResponse: string | null;
  createdAt: Date;
  /** created_at as PostgreSQL prints it, for cursors. */
  createdKey: string;
}

/** Where a page of Brand.proposals starts: after the row with these [votes, created_at text, id]. */
export type ProposalPageStart = [votes: number, createdKey: string, id: string] | null;
