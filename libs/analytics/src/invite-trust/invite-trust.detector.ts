import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { inTransaction, type StoredEvent } from '@boardroom/core';
import { DETECTION_RULES, type DetectionRules } from '../detection-rules.js';
import type { ConcludeContext, Detector, DetectorContext } from '../detector.js';
import { FlagsRepository, type FlagInput } from '../flags.repository.js';
import {
  InviteTrustRepository,
  type AccountTrust,
  type Interaction,
  type TrustEdge,
} from './invite-trust.repository.js';
import { median } from '../report/metric-functions.js';
import { componentsAmong, rankTrust } from './trust-rank.js';

export const INVITE_TRUST = 'INVITE_TRUST';

const EDGE_PAGE = 10_000;
const SAVE_BATCH = 1_000;

/**
 * Low-trust invite subtrees, SybilRank-style. `handle` keeps the trust graph: an accepted invite joins
 * inviter and invitee, a follow or a comment joins two accounts once it is returned. After each run,
 * `conclude` spreads trust from seeds (old accounts with organic activity in several brands) for
 * ⌈log₂ n⌉ steps, stores every account's trust and tier (the export's `trust_tier`, the report's
 * median), and flags each group of at least 5 low-trust accounts joined by invites: a tree grown on
 * its own, which no one outside it vouches for. An account with no edge at all is not judged. It also
 * flags, weakly, each account that joined by a self-invite the invites issue flagged.
 */
@Injectable()
export class InviteTrustDetector implements Detector {
  private readonly logger = new Logger(InviteTrustDetector.name);
  readonly code = INVITE_TRUST;
  readonly version = DETECTION_RULES.inviteTrust.version;
  /** Protected: a test states a variant of the rules in a subclass. */
  protected readonly rules: DetectionRules['inviteTrust'] = DETECTION_RULES.inviteTrust;

  constructor(
    private readonly graph: InviteTrustRepository,
    private readonly flags: FlagsRepository,
  ) {}

  async handle(events: readonly StoredEvent[], context: DetectorContext): Promise<void> {
    const interactions: Interaction[] = [];
    for (const event of events) {
      const interaction = interactionOf(event);
      if (interaction) interactions.push(interaction);
    }
    await this.graph.record(context.manager, interactions);
  }

  async conclude({ dataSource, now }: ConcludeContext): Promise<void> {
    const edges = await this.readEdges(dataSource.manager);
    const index = new Map<string, number>();
    const nodes: string[] = [];
    const node = (id: string) => {
      let at = index.get(id);
      if (at === undefined) {
        at = nodes.push(id) - 1;
        index.set(id, at);
      }
      return at;
    };
    const pairs = edges.map((edge) => [node(edge.userA), node(edge.userB)] as const);
    const seedIds = await this.graph.seeds(dataSource.manager, this.seedRules(), this.code, now);
    const seeds = seedIds.flatMap((id) => (index.has(id) ? [index.get(id)!] : []));
    const seedSet = new Set(seeds);
    // Without a seed nothing is vouched for, and a low trust would say nothing: judge no one.
    const ranking = seeds.length > 0 ? rankTrust({ nodes, edges: pairs, seeds }) : null;
    const trust: AccountTrust[] =
      ranking === null
        ? []
        : nodes.map((userId, i) => ({
            userId,
            relativeTrust: ranking.relativeTrust[i]!,
            degree: ranking.degree[i]!,
            tier: this.tierOf(i, seedSet, ranking.relativeTrust[i]!),
          }));
    for (let from = 0; from < trust.length; from += SAVE_BATCH) {
      await inTransaction(dataSource, (manager) =>
        this.graph.saveTrust(manager, trust.slice(from, from + SAVE_BATCH), this.version, now),
      );
    }
    await inTransaction(dataSource, (manager) => this.graph.deleteTrustBefore(manager, now));

    const low = (i: number) => ranking !== null && trust[i]!.tier === 'LOW';
    const inviteEdges = pairs.filter((_, i) => edges[i]!.invite);
    const groups = componentsAmong(nodes.length, inviteEdges, low).filter(
      (group) => group.length >= this.rules.minGroupAccounts,
    );
    const selfInvited = await this.graph.selfInvited(dataSource.manager);
    await inTransaction(dataSource, async (manager) => {
      // One flag per account: its self-invite, raised to its group's score and evidence when it has one.
      const raised = new Map<string, FlagInput>();
      for (const { userId, reason } of selfInvited) {
        raised.set(userId, {
          subjectType: 'ACCOUNT',
          subjectId: userId,
          score: this.rules.selfInviteScore,
          evidence: { selfInvite: reason },
        });
      }
      const tallies = tallyEdges(nodes.length, groups, pairs, edges);
      for (const [g, group] of groups.entries()) {
        const members = group.map((i) => nodes[i]!).sort();
        const evidence = {
          accounts: members.length,
          ...tallies[g]!,
          medianRelativeTrust: median(group.map((i) => trust[i]!.relativeTrust)),
          seeds: seeds.length,
          selfInvites: members.filter((member) => raised.has(member)).length,
        };
        const score = this.scoreOf(members.length);
        const clusterId = await this.flags.mergeCluster(
          manager,
          this,
          { kind: 'LOW_TRUST_INVITE_TREE', members, score, evidence },
          now,
        );
        for (const member of members) {
          const selfInvite = raised.get(member)?.evidence.selfInvite;
          raised.set(member, {
            subjectType: 'ACCOUNT',
            subjectId: member,
            score: Math.max(score, raised.get(member)?.score ?? 0),
            clusterId,
            evidence: selfInvite ? { ...evidence, selfInvite } : evidence,
          });
        }
      }
      await this.flags.upsertFlags(manager, this, [...raised.values()], now);
      await this.flags.withdrawExcept(manager, this.code, 'ACCOUNT', [...raised.keys()]);
    });
    this.logger.log(
      `Invite trust: ${nodes.length} account(s) in the graph, ${seeds.length} seed(s), ` +
        `${groups.length} low-trust invite group(s) and ${selfInvited.length} self-invite(s) flagged`,
    );
  }

  private async readEdges(manager: EntityManager): Promise<TrustEdge[]> {
    const edges: TrustEdge[] = [];
    for (let after: [string, string] | null = null; ;) {
      const page = await this.graph.edgesAfter(manager, after, EDGE_PAGE);
      edges.push(...page);
      if (page.length < EDGE_PAGE) return edges;
      const last = page[page.length - 1]!;
      after = [last.userA, last.userB];
    }
  }

  private seedRules() {
    return {
      minAgeDays: this.rules.seedMinAgeDays,
      minBrands: this.rules.seedMinBrands,
      minActiveDays: this.rules.seedMinActiveDays,
      minFollowers: this.rules.seedMinFollowers,
      maxSuspicion: this.rules.seedMaxSuspicion,
      earningActions: this.rules.earningActions,
    };
  }

  private tierOf(node: number, seeds: ReadonlySet<number>, relativeTrust: number): AccountTrust['tier'] {
    if (seeds.has(node)) return 'SEED';
    if (relativeTrust >= this.rules.high) return 'HIGH';
    return relativeTrust >= this.rules.low ? 'MEDIUM' : 'LOW';
  }

  private scoreOf(accounts: number): number {
    const { minGroupAccounts, fullScoreAccounts, minScore, maxScore } = this.rules;
    const growth = Math.min(1, (accounts - minGroupAccounts) / Math.max(1, fullScoreAccounts - minGroupAccounts));
    return minScore + (maxScore - minScore) * growth;
  }
}

/** The interaction an event makes between two accounts, if any. */
function interactionOf(event: StoredEvent): Interaction | null {
  const at = event.occurredAt;
  if (!event.actorId) return null;
  switch (event.action) {
    case 'invite.accepted': {
      const inviter = event.meta.inviterId;
      return typeof inviter === 'string' ? { from: inviter, to: event.actorId, kind: 'INVITE', at } : null;
    }
    case 'user.followed':
      return event.targetId ? { from: event.actorId, to: event.targetId, kind: 'FOLLOW', at } : null;
    case 'comment.posted': {
      const owner = event.meta.photoOwnerId;
      return typeof owner === 'string' ? { from: event.actorId, to: owner, kind: 'COMMENT', at } : null;
    }
    default:
      return null;
  }
}

/** Per group: its invite edges, its returned interactions, and its edges to outside it, in one pass over the edges. */
function tallyEdges(
  nodeCount: number,
  groups: readonly number[][],
  pairs: readonly (readonly [number, number])[],
  edges: readonly TrustEdge[],
): { inviteEdges: number; returnedInteractions: number; edgesLeavingGroup: number }[] {
  const groupOf = new Int32Array(nodeCount).fill(-1);
  for (const [g, group] of groups.entries()) for (const node of group) groupOf[node] = g;
  const tallies = groups.map(() => ({ inviteEdges: 0, returnedInteractions: 0, edgesLeavingGroup: 0 }));
  for (const [i, [a, b]] of pairs.entries()) {
    const [ga, gb] = [groupOf[a]!, groupOf[b]!];
    if (ga >= 0 && ga === gb) tallies[ga]![edges[i]!.invite ? 'inviteEdges' : 'returnedInteractions']++;
    else {
      if (ga >= 0) tallies[ga]!.edgesLeavingGroup++;
      if (gb >= 0) tallies[gb]!.edgesLeavingGroup++;
    }
  }
  return tallies;
}
