import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import type { ProposalPageStart, ProposalRecord, ProposalStatus } from './proposal.record.js';

const PROPOSAL = `p.id, p.brand_id AS "brandId", p.author_id AS "authorId", p.title, p.body, p.votes, p.status,
  p.brand_response AS "brandResponse", p.created_at AS "createdAt", p.created_at::text AS "createdKey"`;

/** All SQL on `proposals` and `proposal_votes`. */
@Injectable()
export class ProposalsRepository {
  async isEmployee(manager: EntityManager, userId: string, brandId: string): Promise<boolean> {
    const rows = await queryRows(manager, `SELECT 1 FROM employments WHERE user_id = $1 AND brand_id = $2`, [
      userId,
      brandId,
    ]);
    return rows.length > 0;
  }

  async create(
    manager: EntityManager,
    proposal: { brandId: string; authorId: string; title: string; body: string; at: Date },
  ): Promise<ProposalRecord> {
    const [row] = await queryRows<ProposalRecord>(
      manager,
      `INSERT INTO proposals AS p (brand_id, author_id, title, body, created_at) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${PROPOSAL}`,
      [proposal.brandId, proposal.authorId, proposal.title, proposal.body, proposal.at],
    );
    return row!;
  }

  async find(manager: EntityManager, id: string): Promise<ProposalRecord | null> {
    const [row] = await queryRows<ProposalRecord>(manager, `SELECT ${PROPOSAL} FROM proposals p WHERE p.id = $1`, [id]);
    return row ?? null;
  }

  /** The proposal, locked: a vote and an answer of the same proposal wait for each other. */
  async lock(manager: EntityManager, id: string): Promise<ProposalRecord | null> {
    const [row] = await queryRows<ProposalRecord>(
      manager,
      `SELECT ${PROPOSAL} FROM proposals p WHERE p.id = $1 FOR UPDATE`,
      [id],
    );
    return row ?? null;
  }

  /**
   * The user's vote, once: the primary key makes a second (or concurrent) vote insert nothing, and the
   * count moves only with an inserted row, in the same statement. Null when the vote was there already.
   */
  async vote(manager: EntityManager, proposalId: string, userId: string, at: Date): Promise<ProposalRecord | null> {
    const [row] = await queryRows<ProposalRecord>(
      manager,
      `WITH cast_vote AS (
         INSERT INTO proposal_votes (proposal_id, user_id, created_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING proposal_id
       )
       UPDATE proposals p SET votes = votes + 1 FROM cast_vote c WHERE p.id = c.proposal_id RETURNING ${PROPOSAL}`,
      [proposalId, userId, at],
    );
    return row ?? null;
  }

  /** Answers an open or answered proposal; the row lock orders concurrent answers. */
  async respond(
    manager: EntityManager,
    answer: { id: string; status: ProposalStatus; response: string; respondedBy: string; at: Date },
  ): Promise<ProposalRecord> {
    const [row] = await queryRows<ProposalRecord>(
      manager,
      `UPDATE proposals p SET status = $2, brand_response = $3, responded_by = $4, responded_at = $5
        WHERE p.id = $1 RETURNING ${PROPOSAL}`,
      [answer.id, answer.status, answer.response, answer.respondedBy, answer.at],
    );
    return row!;
  }

  async voterIds(manager: EntityManager, proposalId: string): Promise<string[]> {
    const rows = await queryRows<{ user_id: string }>(
      manager,
      `SELECT user_id FROM proposal_votes WHERE proposal_id = $1`,
      [proposalId],
    );
    return rows.map((row) => row.user_id);
  }

  /** Of these proposals, those the user voted for. */
  async votedBy(manager: EntityManager, userId: string, proposalIds: readonly string[]): Promise<string[]> {
    const rows = await queryRows<{ proposal_id: string }>(
      manager,
      `SELECT proposal_id FROM proposal_votes WHERE user_id = $1 AND proposal_id = ANY($2::uuid[])`,
      [userId, proposalIds],
    );
    return rows.map((row) => row.proposal_id);
  }

  /** Most votes, then newest: `limit` rows after the cursor, on the index proposals_brand_rank. */
  async list(
    manager: EntityManager,
    brandId: string,
    after: ProposalPageStart,
    limit: number,
  ): Promise<ProposalRecord[]> {
    return queryRows<ProposalRecord>(
      manager,
      `SELECT ${PROPOSAL} FROM proposals p
        WHERE p.brand_id = $1
          AND ($2::int IS NULL OR (p.votes, p.created_at, p.id) < ($2::int, $3::timestamptz, $4::uuid))
        ORDER BY p.votes DESC, p.created_at DESC, p.id DESC
        LIMIT $5`,
      [brandId, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, limit],
    );
  }
}
