import type { Role } from '../roles.js';

/** A user as the services see it: never the password hash. */
export interface UserRecord {
  id: string;
  email: string;
  emailVerified: boolean;
  handle: string;
  displayName: string;
  roles: Role[];
  /** Legacy: the unchecked code of sign-ups before invites existed; the invites table has the rest. */
  inviteCode: string | null;
  createdAt: Date;
  bannedAt: Date | null;
}

/** Who is asking: the signed-in user of a request, or null. */
export interface Viewer {
  id: string;
  roles: Role[];
  sessionId: string;
  /** When the access token this viewer came with expires (live subscriptions end there); unset for a fresh sign-in. */
  accessExpiresAt?: Date;
}
