import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DomainError, EventLog, decodeCursor, inTransaction, invalidCursor, isUuid } from '@boardroom/core';
import { Role, UsersService, type Viewer } from '@boardroom/accounts';
import { BrandsRepository } from '../brands.repository.js';
import type { ClaimRecord, ClaimStatus } from './claim.record.js';
import { ClaimsRepository } from './claims.repository.js';

/** Brand claims: a person asks to manage a brand's page; an administrator decides. */
@Injectable()
export class ClaimsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly claims: ClaimsRepository,
    private readonly brands: BrandsRepository,
    private readonly users: UsersService,
    private readonly events: EventLog,
  ) {}

  async claim(slug: string, viewer: Viewer): Promise<ClaimRecord> {
    const claimant = await this.users.findById(viewer.id);
    if (!claimant?.emailVerified)
      throw new DomainError('FORBIDDEN', 'Verify your email address before claiming a brand.');
    return inTransaction(this.dataSource, async (manager) => {
      const brand = await this.brands.findBySlug(manager, slug);
      if (!brand) throw DomainError.notFound(`The brand "${slug}"`);
      if (await this.brands.isManager(manager, brand.id, viewer.id)) {
        throw DomainError.conflict('ALREADY_MANAGER', 'You already manage this brand.');
      }
      const token = `boardroom-verification=${randomBytes(16).toString('hex')}`;
      const claim = await this.claims.createOrFindPending(manager, brand.id, viewer.id, token);
      if (claim.verificationToken === token) {
        await this.events.record(manager, {
          action: 'brand.claimed',
          actorId: viewer.id,
          brandId: brand.id,
          targetType: 'brand_claim',
          targetId: claim.id,
        });
      }
      return claim;
    });
  }

  /** Approves or rejects a pending claim; approval makes the claimant a manager (and BRAND_MANAGER). */
  async decide(claimId: string, approve: boolean, admin: Viewer): Promise<ClaimRecord> {
    return inTransaction(this.dataSource, async (manager) => {
      const claim = await this.claims.lock(manager, claimId);
      if (!claim) throw DomainError.notFound('The claim');
      if (claim.claimantId === admin.id)
        throw new DomainError('FORBIDDEN', 'Another administrator must decide your own claim.');
      if (claim.status !== 'PENDING')
        throw DomainError.conflict('ALREADY_DECIDED', `This claim was already ${claim.status.toLowerCase()}.`);
      const decided = await this.claims.decide(manager, claim.id, approve ? 'APPROVED' : 'REJECTED', admin.id);
      if (approve) {
        await this.brands.addManager(manager, claim.brandId, claim.claimantId);
        await this.brands.markClaimed(manager, claim.brandId);
        await this.users.addRole(manager, claim.claimantId, Role.BRAND_MANAGER);
      }
      await this.events.record(manager, {
        action: approve ? 'brand.claim_approved' : 'brand.claim_rejected',
        actorId: admin.id,
        brandId: claim.brandId,
        targetType: 'brand_claim',
        targetId: claim.id,
        meta: { claimantId: claim.claimantId },
      });
      return decided;
    });
  }

  findById(id: string): Promise<ClaimRecord | null> {
    return this.claims.findById(this.dataSource.manager, id);
  }

  /** `first + 1` claims of a status, oldest first. */
  list(status: ClaimStatus, first: number, after: string | null | undefined): Promise<ClaimRecord[]> {
    const cursor = after ? decodeCursor(after, 2) : null;
    if (cursor && (Number.isNaN(Date.parse(String(cursor[0]))) || !isUuid(String(cursor[1])))) {
      throw invalidCursor();
    }
    return this.claims.list(
      this.dataSource.manager,
      status,
      cursor ? [String(cursor[0]), String(cursor[1])] : null,
      first + 1,
    );
  }

  /** The claimant and administrators see a claim; the verification token is theirs only. */
  canSee(claim: ClaimRecord, viewer: Viewer | null): boolean {
    return viewer !== null && (viewer.id === claim.claimantId || viewer.roles.includes(Role.ADMIN));
  }
}
