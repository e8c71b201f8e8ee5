/** Why an invite pays nothing: the invitee looks like the inviter (GAME.md, "an invite qualifies"). */
export type InviteFlagReason = 'SAME_DEVICE' | 'SAME_NETWORK' | 'SAME_EMAIL';

/** Why a qualified invite's bonus was taken back: the invitee was later found fraudulent. */
export type InviteRevokeReason = 'INVITEE_BANNED' | 'INVITEE_INAUTHENTIC';

/**
 * An invite as the services see it. States: open (no invitee), accepted (an invitee signed up with the
 * code), then at most one of qualified (paid) or flagged (a self-invite, paid nothing); a qualified
 * invite is revoked (its bonus reversed) when the invitee is later found fraudulent.
 */
export interface InviteRecord {
  id: string;
  inviterId: string;
  code: string;
  createdAt: Date;
  inviteeId: string | null;
  acceptedAt: Date | null;
  qualifiedAt: Date | null;
  flaggedAt: Date | null;
  flagReason: InviteFlagReason | null;
  revokedAt: Date | null;
  revokeReason: InviteRevokeReason | null;
}
