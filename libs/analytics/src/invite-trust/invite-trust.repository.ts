import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';

export type InteractionKind = 'INVITE' | 'FOLLOW' | 'COMMENT';

export interface Interaction {
  from: string;
  to: string;
  kind: InteractionKind;
  at: Date;
}

export interface TrustEdge {
  userA: string;
  userB: string;
  invite: boolean;
}

export interface AccountTrust {
  userId: string;
  relativeTrust: number;
  degree: number;
  tier: 'SEED' | 'HIGH' | 'MEDIUM' | 'LOW';
}

export interface SeedRules {
  minAgeDays: number;
  minBrands: number;
  minActiveDays: number;
  minFollowers: number;
  maxSuspicion: number;
  earningActions: readonly string[];
}

/** All SQL on `trust_interactions`, `trust_edges` and `account_trust`, and the reads that choose seeds. */
@Injectable()
export class InviteTrustRepository {
  /**
   * Records the interactions and the trust edges they complete: an invite is one at once; a follow or a
   * comment only once returned (the other followed or commented back), since anyone can follow or
   * comment on a stranger but not make the stranger answer.
   */
  async record(manager: EntityManager, interactions: readonly Interaction[]): Promise<void> {
    if (interactions.length === 0) return;
    const columns = [
      interactions.map((i) => i.from),
      interactions.map((i) => i.to),
      interactions.map((i) => i.kind),
      interactions.map((i) => i.at),
    ];
    await manager.query(
      `INSERT INTO trust_interactions (from_user, to_user, kind, first_at)
       SELECT f, t, k, min(a) FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS x(f, t, k, a)
        WHERE f <> t GROUP BY f, t, k
       ON CONFLICT (from_user, to_user, kind) DO NOTHING`,
      columns,
    );
    await manager.query(
      `INSERT INTO trust_edges (user_a, user_b, invite, since)
       SELECT least(f, t), greatest(f, t), bool_or(k = 'INVITE'), min(a)
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS x(f, t, k, a)
        WHERE f <> t
          AND (k = 'INVITE' OR EXISTS (SELECT 1 FROM trust_interactions r
                                        WHERE r.from_user = x.t AND r.to_user = x.f AND r.kind <> 'INVITE'))
        GROUP BY least(f, t), greatest(f, t)
       ON CONFLICT (user_a, user_b) DO UPDATE SET invite = trust_edges.invite OR EXCLUDED.invite`,
      columns,
    );
  }

  /** A keyset page of the edges between accounts still in good standing (not banned, not erased). */
  async edgesAfter(manager: EntityManager, after: [string, string] | null, limit: number): Promise<TrustEdge[]> {
    return queryRows<TrustEdge>(
      manager,
      `SELECT e.user_a AS "userA", e.user_b AS "userB", e.invite
         FROM trust_edges e
         JOIN users a ON a.id = e.user_a AND a.banned_at IS NULL AND a.deleted_at IS NULL
         JOIN users b ON b.id = e.user_b AND b.banned_at IS NULL AND b.deleted_at IS NULL
        WHERE ($1::uuid IS NULL OR (e.user_a, e.user_b) > ($1::uuid, $2::uuid))
        ORDER BY e.user_a, e.user_b
        LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, limit],
    );
  }

  /**
   * The seeds: accounts in the trust graph old enough, with earning activity in several brands on
   * several days, followed by someone, and no other detector's open flags reaching `maxSuspicion`.
   */
  async seeds(manager: EntityManager, rules: SeedRules, detector: string, now: Date): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `WITH graph AS (SELECT user_a AS id FROM trust_edges UNION SELECT user_b FROM trust_edges)
       SELECT u.id FROM graph g JOIN users u ON u.id = g.id
        WHERE u.banned_at IS NULL AND u.deleted_at IS NULL AND u.created_at <= $1::timestamptz - make_interval(days => $2)
          AND (SELECT count(*) FROM follows f WHERE f.followee_id = u.id) >= $3
          AND (SELECT count(DISTINCT e.brand_id) >= $4 AND count(DISTINCT date_trunc('day', e.occurred_at)) >= $5
                 FROM events e WHERE e.actor_id = u.id AND e.action = ANY($6::text[]) AND e.brand_id IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM flags fl WHERE fl.subject_type = 'ACCOUNT' AND fl.subject_id = u.id::text
                             AND fl.state <> 'CLEARED' AND fl.detector <> $7 AND fl.score >= $8)
        ORDER BY u.id`,
      [
        now,
        rules.minAgeDays,
        rules.minFollowers,
        rules.minBrands,
        rules.minActiveDays,
        rules.earningActions,
        detector,
        rules.maxSuspicion,
      ],
    );
    return rows.map((row) => row.id);
  }

  /** Accounts in good standing that signed up with an invite the invites issue flagged as a self-invite. */
  async selfInvited(manager: EntityManager): Promise<{ userId: string; reason: string }[]> {
    return queryRows<{ userId: string; reason: string }>(
      manager,
      `SELECT i.invitee_id AS "userId", i.flag_reason AS reason
         FROM invites i JOIN users u ON u.id = i.invitee_id AND u.banned_at IS NULL AND u.deleted_at IS NULL
        WHERE i.flagged_at IS NOT NULL
        ORDER BY i.invitee_id`,
    );
  }

  /** Stores one batch of the trust just computed. */
  async saveTrust(
    manager: EntityManager,
    trust: readonly AccountTrust[],
    version: string,
    computedAt: Date,
  ): Promise<void> {
    if (trust.length === 0) return;
    await manager.query(
      `INSERT INTO account_trust (user_id, relative_trust, degree, tier, detector_version, computed_at)
       SELECT u, t, d, tier, $5, $6 FROM unnest($1::uuid[], $2::float8[], $3::int[], $4::text[]) AS x(u, t, d, tier)
       ON CONFLICT (user_id) DO UPDATE
         SET relative_trust = EXCLUDED.relative_trust, degree = EXCLUDED.degree, tier = EXCLUDED.tier,
             detector_version = EXCLUDED.detector_version, computed_at = EXCLUDED.computed_at`,
      [
        trust.map((t) => t.userId),
        trust.map((t) => t.relativeTrust),
        trust.map((t) => t.degree),
        trust.map((t) => t.tier),
        version,
        computedAt,
      ],
    );
  }

  /** Accounts the latest computation did not reach (they left the graph: banned or erased). */
  async deleteTrustBefore(manager: EntityManager, computedAt: Date): Promise<void> {
    await manager.query(`DELETE FROM account_trust WHERE computed_at < $1`, [computedAt]);
  }
}
