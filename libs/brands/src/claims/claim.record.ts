export type ClaimStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

export interface ClaimRecord {
  id: string;
  brandId: string;
  claimantId: string;
  status: ClaimStatus;
  verificationToken: string;
  createdAt: Date;
  decidedAt: Date | null;
}
