import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import type { InviteFlagReason, InviteRecord, InviteRevokeReason } from './invite.record.js';

interface InviteRow {
  id: string;
  inviter_id: string;
  code: string;
  created_at: Date;
  invitee_id: string | null;
  accepted_at: Date | null;
  qualified_at: Date | null;
  flagged_at: Date | null;
  flag_reason: InviteFlagReason | null;
  revoked_at: Date | null;
  revoke_reason: InviteRevokeReason | null;
}

const COLUMNS = `id, inviter_id, code, created_at, invitee_id, accepted_at, qualified_at, flagged_at, flag_reason,
  revoked_at, revoke_reason`;

const toRecord = (row: InviteRow): InviteRecord => ({
  id: row.id,
  inviterId: row.inviter_id,
  code: row.code,
  createdAt: row.created_at,
  inviteeId: row.invitee_id,
  acceptedAt: row.accepted_at,
  qualifiedAt: row.qualified_at,
  flaggedAt: row.flagged_at,
  flagReason: row.flag_reason,
  revokedAt: row.revoked_at,
  revokeReason: row.revoke_reason,
});

/** All SQL on `invites`, and the reads of `events` the self-invite checks make. */
@Injectable()
export class InvitesRepository {
  /** Serializes the invite creations of one inviter until the transaction ends (the open-invite limit). */
  async lockInviter(manager: EntityManager, inviterId: string): Promise<void> {
    await queryRows(manager, `SELECT pg_advisory_xact_lock(hashtext('invites'), hashtext($1))`, [inviterId]);
  }

  async countOpen(manager: EntityManager, inviterId: string): Promise<number> {
    const [row] = await queryRows<{ count: number }>(
      manager,
      `SELECT count(*)::int AS count FROM invites WHERE inviter_id = $1 AND invitee_id IS NULL`,
      [inviterId],
    );
    return row!.count;
  }

  /** Inserts an open invite; null when the code is taken already (the caller draws another). */
  async insert(manager: EntityManager, inviterId: string, code: string, at: Date): Promise<InviteRecord | null> {
    const [row] = await queryRows<InviteRow>(
      manager,
      `INSERT INTO invites (inviter_id, code, created_at) VALUES ($1, $2, $3)
       ON CONFLICT (code) DO NOTHING RETURNING ${COLUMNS}`,
      [inviterId, code, at],
    );
    return row ? toRecord(row) : null;
  }

  /** The invites of each inviter, newest first, in one query. */
  async listOf(manager: EntityManager, inviterIds: readonly string[]): Promise<InviteRecord[]> {
    const rows = await queryRows<InviteRow>(
      manager,
      `SELECT ${COLUMNS} FROM invites WHERE inviter_id = ANY($1::uuid[]) ORDER BY inviter_id, created_at DESC, id DESC`,
      [inviterIds],
    );
    return rows.map(toRecord);
  }

  async findByCode(manager: EntityManager, code: string): Promise<InviteRecord | null> {
    const [row] = await queryRows<InviteRow>(manager, `SELECT ${COLUMNS} FROM invites WHERE code = $1`, [code]);
    return row ? toRecord(row) : null;
  }

  async findByInvitee(manager: EntityManager, inviteeId: string): Promise<InviteRecord | null> {
    const [row] = await queryRows<InviteRow>(manager, `SELECT ${COLUMNS} FROM invites WHERE invitee_id = $1`, [
      inviteeId,
    ]);
    return row ? toRecord(row) : null;
  }

  /**
   * Gives the open invite of `code` to the invitee; null when no open invite has that code. Two sign-ups
   * racing for one code: the second waits for the first's row lock and then finds it used.
   */
  async accept(manager: EntityManager, code: string, inviteeId: string, at: Date): Promise<InviteRecord | null> {
    const [row] = await queryRows<InviteRow>(
      manager,
      `UPDATE invites SET invitee_id = $2, accepted_at = $3
        WHERE code = $1 AND invitee_id IS NULL RETURNING ${COLUMNS}`,
      [code, inviteeId, at],
    );
    return row ? toRecord(row) : null;
  }

  /** Marks an accepted, unsettled invite qualified; null when it is not one (open, flagged or qualified). */
  async markQualified(manager: EntityManager, inviteId: string, at: Date): Promise<InviteRecord | null> {
    const [row] = await queryRows<InviteRow>(
      manager,
      `UPDATE invites SET qualified_at = $2
        WHERE id = $1 AND invitee_id IS NOT NULL AND qualified_at IS NULL AND flagged_at IS NULL
        RETURNING ${COLUMNS}`,
      [inviteId, at],
    );
    return row ? toRecord(row) : null;
  }

  /** Flags an accepted, unsettled invite; null when it is not one (open, flagged or qualified). */
  async markFlagged(
    manager: EntityManager,
    inviteId: string,
    reason: InviteFlagReason,
    at: Date,
  ): Promise<InviteRecord | null> {
    const [row] = await queryRows<InviteRow>(
      manager,
      `UPDATE invites SET flagged_at = $3, flag_reason = $2
        WHERE id = $1 AND invitee_id IS NOT NULL AND qualified_at IS NULL AND flagged_at IS NULL
        RETURNING ${COLUMNS}`,
      [inviteId, reason, at],
    );
    return row ? toRecord(row) : null;
  }

  /** Revokes a qualified invite; null when it is not one (unqualified, or revoked already). */
  async markRevoked(
    manager: EntityManager,
    inviteId: string,
    reason: InviteRevokeReason,
    at: Date,
  ): Promise<InviteRecord | null> {
    const [row] = await queryRows<InviteRow>(
      manager,
      `UPDATE invites SET revoked_at = $3, revoke_reason = $2
        WHERE id = $1 AND qualified_at IS NOT NULL AND revoked_at IS NULL
        RETURNING ${COLUMNS}`,
      [inviteId, reason, at],
    );
    return row ? toRecord(row) : null;
  }

  /** Qualified (and not revoked) invites per inviter, for the inviters that have any. */
  async qualifiedCounts(
    manager: EntityManager,
    inviterIds: readonly string[],
  ): Promise<{ inviterId: string; count: number }[]> {
    return queryRows<{ inviterId: string; count: number }>(
      manager,
      `SELECT inviter_id AS "inviterId", count(*)::int AS count FROM invites
        WHERE inviter_id = ANY($1::uuid[]) AND qualified_at IS NOT NULL AND revoked_at IS NULL
        GROUP BY inviter_id`,
      [inviterIds],
    );
  }

  /** Whether any event of `a` carries a device fingerprint that some event of `b` carries. */
  async shareDevice(manager: EntityManager, a: string, b: string): Promise<boolean> {
    const [row] = await queryRows<{ shared: boolean }>(
      manager,
      `SELECT EXISTS (
         SELECT 1 FROM events mine JOIN events theirs ON theirs.device_fingerprint = mine.device_fingerprint
          WHERE mine.actor_id = $1 AND theirs.actor_id = $2 AND mine.device_fingerprint IS NOT NULL
       ) AS shared`,
      [a, b],
    );
    return row!.shared;
  }

  /**
   * Whether an event of the invitee in [at, at + hours] carries a network fingerprint that an event of
   * the inviter in [at - hours, at + hours] carries (`at`: when the invitee signed up).
   */
  async shareNetworkAround(
    manager: EntityManager,
    invitee: string,
    inviter: string,
    at: Date,
    hours: number,
  ): Promise<boolean> {
    const [row] = await queryRows<{ shared: boolean }>(
      manager,
      `SELECT EXISTS (
         SELECT 1 FROM events mine JOIN events theirs ON theirs.network_fingerprint = mine.network_fingerprint
          WHERE mine.actor_id = $1 AND mine.network_fingerprint IS NOT NULL
            AND mine.occurred_at BETWEEN $3::timestamptz AND $3::timestamptz + $4::float8 * interval '1 hour'
            AND theirs.actor_id = $2
            AND theirs.occurred_at BETWEEN $3::timestamptz - $4::float8 * interval '1 hour'
                                       AND $3::timestamptz + $4::float8 * interval '1 hour'
       ) AS shared`,
      [invitee, inviter, at, hours],
    );
    return row!.shared;
  }
}
