import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import type { ClaimRecord, ClaimStatus } from './claim.record.js';

interface ClaimRow {
  id: string;
  brand_id: string;
  claimant_id: string;
  status: ClaimStatus;
  verification_token: string;
  created_at: Date;
  decided_at: Date | null;
}

const COLUMNS = `id, brand_id, claimant_id, status, verification_token, created_at, decided_at`;

const toRecord = (row: ClaimRow): ClaimRecord => ({
  id: row.id,
  brandId: row.brand_id,
  claimantId: row.claimant_id,
  status: row.status,
  verificationToken: row.verification_token,
  createdAt: row.created_at,
  decidedAt: row.decided_at,
});

/** All SQL on `brand_claims`. */
@Injectable()
export class ClaimsRepository {
  /** A new pending claim, or the claimant's open one for the brand (claiming twice is harmless). */
  async createOrFindPending(
    manager: EntityManager,
    brandId: string,
    claimantId: string,
    token: string,
  ): Promise<ClaimRecord> {
    const [created] = await queryRows<ClaimRow>(
      manager,
      `INSERT INTO brand_claims (brand_id, claimant_id, verification_token) VALUES ($1, $2, $3)
       ON CONFLICT (brand_id, claimant_id) WHERE status = 'PENDING' DO NOTHING
       RETURNING ${COLUMNS}`,
      [brandId, claimantId, token],
    );
    if (created) return toRecord(created);
    const [open] = await queryRows<ClaimRow>(
      manager,
      `SELECT ${COLUMNS} FROM brand_claims WHERE brand_id = $1 AND claimant_id = $2 AND status = 'PENDING'`,
      [brandId, claimantId],
    );
    return toRecord(open!);
  }

  async lock(manager: EntityManager, id: string): Promise<ClaimRecord | null> {
    const [row] = await queryRows<ClaimRow>(manager, `SELECT ${COLUMNS} FROM brand_claims WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    return row ? toRecord(row) : null;
  }

  async findById(manager: EntityManager, id: string): Promise<ClaimRecord | null> {
    const [row] = await queryRows<ClaimRow>(manager, `SELECT ${COLUMNS} FROM brand_claims WHERE id = $1`, [id]);
    return row ? toRecord(row) : null;
  }

  async decide(
    manager: EntityManager,
    id: string,
    status: 'APPROVED' | 'REJECTED',
    deciderId: string,
  ): Promise<ClaimRecord> {
    const [row] = await queryRows<ClaimRow>(
      manager,
      `UPDATE brand_claims SET status = $2, decided_at = now(), decided_by = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, status, deciderId],
    );
    return toRecord(row!);
  }

  /** Claims of a status, oldest first; `after` is the last row's [created_at ISO, id]. */
  async list(
    manager: EntityManager,
    status: ClaimStatus,
    after: [string, string] | null,
    limit: number,
  ): Promise<ClaimRecord[]> {
    const rows = await queryRows<ClaimRow>(
      manager,
      `SELECT ${COLUMNS} FROM brand_claims
        WHERE status = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
        ORDER BY created_at, id
        LIMIT $4`,
      [status, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    return rows.map(toRecord);
  }
}
