import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  Clock,
  DomainError,
  EventLog,
  decodeCursor,
  inTransaction,
  invalidCursor,
  isTimestampText,
  isUuid,
  requestLoader,
} from '@boardroom/core';
import type { Viewer } from '@boardroom/accounts';
import { BrandsService, type BrandRecord } from '@boardroom/brands';
import { NotificationsService } from '@boardroom/notifications';
import type { ProposalPageStart, ProposalRecord, ProposalStatus } from './proposal.record.js';
import { ProposalsRepository } from './proposals.repository.js';

export const PROPOSAL_TITLE_LENGTH = { min: 5, max: 120 };
export const PROPOSAL_BODY_LENGTH = { min: 20, max: 5_000 };
export const PROPOSAL_RESPONSE_LENGTH = { min: 1, max: 2_000 };

const lengthProblem = (field: string, value: string, length: { min: number; max: number }) =>
  value.length < length.min || value.length > length.max
    ? [{ field, message: `${length.min} to ${length.max.toLocaleString('en')} characters` }]
    : [];

/** Operations proposed and voted by a brand's employees, answered by its managers. */
@Injectable()
export class ProposalsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly proposals: ProposalsRepository,
    private readonly brands: BrandsService,
    private readonly notifications: NotificationsService,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  async propose(brandSlug: string, title: string, body: string, viewer: Viewer): Promise<ProposalRecord> {
    const brand = await this.brands.findBySlug(brandSlug);
    if (!brand) throw DomainError.notFound(`The brand "${brandSlug}"`);
    const problems = [
      ...lengthProblem('title', title.trim(), PROPOSAL_TITLE_LENGTH),
      ...lengthProblem('body', body.trim(), PROPOSAL_BODY_LENGTH),
    ];
    if (problems.length > 0)
      throw DomainError.badInput(
        `The proposal is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`,
        problems,
      );
    return inTransaction(this.dataSource, async (manager) => {
      await this.requireEmployee(manager, viewer, brand);
      const proposal = await this.proposals.create(manager, {
        brandId: brand.id,
        authorId: viewer.id,
        title: title.trim(),
        body: body.trim(),
        at: this.clock.now(),
      });
      await this.events.record(manager, {
        action: 'proposal.created',
        actorId: viewer.id,
        brandId: brand.id,
        targetType: 'proposal',
        targetId: proposal.id,
        meta: { title: proposal.title },
      });
      return proposal;
    });
  }

  /** Idempotent: a second vote returns the proposal unchanged. Only OPEN proposals take votes (CONFLICT otherwise). */
  async vote(id: string, viewer: Viewer): Promise<ProposalRecord> {
    return inTransaction(this.dataSource, async (manager) => {
      const proposal = await this.requireProposal(manager, id);
      const brand = (await this.brands.findById(proposal.brandId, manager))!;
      await this.requireEmployee(manager, viewer, brand);
      if (proposal.status !== 'OPEN')
        throw DomainError.conflict(
          'PROPOSAL_ANSWERED',
          `This proposal was answered (${proposal.status}): votes are closed.`,
        );
      const voted = await this.proposals.vote(manager, proposal.id, viewer.id, this.clock.now());
      if (!voted) return proposal;
      await this.events.record(manager, {
        action: 'proposal.voted',
        actorId: viewer.id,
        brandId: proposal.brandId,
        targetType: 'proposal',
        targetId: proposal.id,
        meta: { authorId: proposal.authorId, votes: voted.votes },
      });
      return voted;
    });
  }

  async respond(id: string, status: ProposalStatus, response: string, viewer: Viewer): Promise<ProposalRecord> {
    if (status === 'OPEN')
      throw DomainError.badInput('Answer with ACCEPTED, DECLINED or DONE.', [
        { field: 'status', message: 'ACCEPTED, DECLINED or DONE' },
      ]);
    const problems = lengthProblem('response', response.trim(), PROPOSAL_RESPONSE_LENGTH);
    if (problems.length > 0) throw DomainError.badInput(`The response needs ${problems[0]!.message}.`, problems);
    return inTransaction(this.dataSource, async (manager) => {
      const proposal = await this.requireProposal(manager, id);
      const brand = (await this.brands.findById(proposal.brandId, manager))!;
      if (!(await this.brands.canManage(viewer, brand.id, manager)))
        throw new DomainError('FORBIDDEN', `Only the managers of ${brand.name} may answer its proposals.`);
      const at = this.clock.now();
      const answered = await this.proposals.respond(manager, {
        id: proposal.id,
        status,
        response: response.trim(),
        respondedBy: viewer.id,
        at,
      });
      await this.events.record(manager, {
        action: 'proposal.answered',
        actorId: viewer.id,
        brandId: brand.id,
        targetType: 'proposal',
        targetId: proposal.id,
        meta: { status, previous: proposal.status },
      });
      const told = new Set([proposal.authorId, ...(await this.proposals.voterIds(manager, proposal.id))]);
      told.delete(viewer.id);
      await this.notifications.notifyEach(manager, [...told], {
        kind: 'PROPOSAL_ANSWERED',
        message: `${brand.name} answered "${answered.title}": ${status}. ${answered.brandResponse}`,
        brandId: brand.id,
        meta: { proposalId: proposal.id, status },
        at,
      });
      return answered;
    });
  }

  find(id: string): Promise<ProposalRecord | null> {
    return this.proposals.find(this.dataSource.manager, id);
  }

  /** `first + 1` proposals of the brand, most votes then newest, after the cursor. */
  list(brandId: string, first: number, after: string | null | undefined): Promise<ProposalRecord[]> {
    return this.proposals.list(this.dataSource.manager, brandId, proposalPageStart(after), first + 1);
  }

  /** Whether the viewer voted for the proposal: one query for all the proposals of a response. */
  async votedBy(context: object, viewer: Viewer | null, proposalId: string): Promise<boolean> {
    if (!viewer) return false;
    const voted = await requestLoader(
      context,
      `proposal-votes:${viewer.id}`,
      async (ids) => (await this.proposals.votedBy(this.dataSource.manager, viewer.id, ids)).map((id) => ({ id })),
      (vote) => vote.id,
    ).load(proposalId);
    return voted !== null;
  }

  /** Locked: a vote cannot slip in after the answer, nor two answers interleave. */
  private async requireProposal(manager: EntityManager, id: string): Promise<ProposalRecord> {
    const proposal = isUuid(id) ? await this.proposals.lock(manager, id) : null;
    if (!proposal) throw DomainError.notFound('The proposal');
    return proposal;
  }

  private async requireEmployee(manager: EntityManager, viewer: Viewer, brand: BrandRecord): Promise<void> {
    if (!(await this.proposals.isEmployee(manager, viewer.id, brand.id)))
      throw new DomainError(
        'FORBIDDEN',
        `Only employees of ${brand.name} may propose and vote; earn a share there first.`,
      );
  }
}

function proposalPageStart(after: string | null | undefined): ProposalPageStart {
  if (!after) return null;
  const [votes, createdKey, id] = decodeCursor(after, 3);
  if (typeof votes !== 'number' || !isTimestampText(createdKey) || typeof id !== 'string' || !isUuid(id))
    throw invalidCursor();
  return [votes, createdKey, id];
}
