import { Init1763920000000 } from './1763920000000-init.js';
import { Accounts1763930000000 } from './1763930000000-accounts.js';
import { Brands1763940000000 } from './1763940000000-brands.js';
import { Photos1763950000000 } from './1763950000000-photos.js';
import { Game1763960000000 } from './1763960000000-game.js';
import { GameSeat1763970000000 } from './1763970000000-game-seat.js';
import { Invites1763980000000 } from './1763980000000-invites.js';
import { Awards1763990000000 } from './1763990000000-awards.js';
import { ShareCounts1764000000000 } from './1764000000000-share-counts.js';
import { Rewards1764010000000 } from './1764010000000-rewards.js';
import { Proposals1764020000000 } from './1764020000000-proposals.js';
import { Moderation1764030000000 } from './1764030000000-moderation.js';
import { Analytics1764040000000 } from './1764040000000-analytics.js';
import { InviteRevocations1764050000000 } from './1764050000000-invite-revocations.js';
import { RankCountsIndex1764070000000 } from './1764070000000-rank-counts-index.js';
import { CreditHolds1764080000000 } from './1764080000000-credit-holds.js';
import { Campaigns1764090000000 } from './1764090000000-campaigns.js';
import { AuthenticityReports1764100000000 } from './1764100000000-authenticity-reports.js';
import { ResearchExports1764110000000 } from './1764110000000-research-exports.js';
import { AccountErasure1764120000000 } from './1764120000000-account-erasure.js';
import { Retention1764130000000 } from './1764130000000-retention.js';
import { EmploymentChangeState1764136000000 } from './1764136000000-employment-change-state.js';
import { InviteTrust1764150000000 } from './1764150000000-invite-trust.js';
import { ExportAndPurgeIndexes1764160000000 } from './1764160000000-export-and-purge-indexes.js';
import { EmploymentsUserBanned1764170000000 } from './1764170000000-employments-user-banned.js';
import { ApplyShareChange1764180000000 } from './1764180000000-apply-share-change.js';

/** Every migration, oldest first. A new migration is a new file added here. */
export const migrations = [
  Init1763920000000,
  Accounts1763930000000,
  Brands1763940000000,
  Photos1763950000000,
  Game1763960000000,
  GameSeat1763970000000,
  Invites1763980000000,
  Awards1763990000000,
  ShareCounts1764000000000,
  Rewards1764010000000,
  Proposals1764020000000,
  Moderation1764030000000,
  Analytics1764040000000,
  InviteRevocations1764050000000,
  RankCountsIndex1764070000000,
  CreditHolds1764080000000,
  Campaigns1764090000000,
  AuthenticityReports1764100000000,
  ResearchExports1764110000000,
  AccountErasure1764120000000,
  Retention1764130000000,
  EmploymentChangeState1764136000000,
  InviteTrust1764150000000,
  ExportAndPurgeIndexes1764160000000,
  EmploymentsUserBanned1764170000000,
  ApplyShareChange1764180000000,
];
