import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  Clock,
  DomainError,
  EventLog,
  decodeCursor,
  inTransaction,
  invalidCursor,
  isUuid,
  type FieldProblem,
  type NewEvent,
} from '@boardroom/core';
import type { Viewer } from '@boardroom/accounts';
import { BrandsService } from '../brands.service.js';
import type { CampaignRecord } from './campaign.record.js';
import { CampaignsRepository } from './campaigns.repository.js';

/** A campaign lasts at most this long: a longer "campaign" would explain away a brand's every burst. */
export const MAX_CAMPAIGN_DAYS = 31;

export interface DeclareCampaignInput {
  brandSlug: string;
  name: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Campaigns a brand declares: the windows in which a burst of activity is expected, so the bursts
 * detector records the bursts inside them as explained instead of suspicious.
 */
@Injectable()
export class CampaignsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly campaigns: CampaignsRepository,
    private readonly brands: BrandsService,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  /** For the brand's managers and administrators; `campaign.declared` goes to the log with it. */
  async declare(
    input: DeclareCampaignInput,
    viewer: Viewer,
    fingerprints: Pick<NewEvent, 'networkFingerprint' | 'deviceFingerprint'> = {},
  ): Promise<CampaignRecord> {
    const brand = await this.brands.findBySlug(input.brandSlug);
    if (!brand) throw DomainError.notFound(`The brand "${input.brandSlug}"`);
    if (!(await this.brands.canManage(viewer, brand.id))) {
      throw new DomainError('FORBIDDEN', `Only the managers of ${brand.name} may declare its campaigns.`);
    }
    const name = input.name.trim();
    const problems: FieldProblem[] = [];
    if (name.length < 3 || name.length > 120) problems.push({ field: 'name', message: 'must be 3 to 120 characters' });
    const length = input.endsAt.getTime() - input.startsAt.getTime();
    if (length <= 0) problems.push({ field: 'endsAt', message: 'must be after startsAt' });
    else if (length > MAX_CAMPAIGN_DAYS * 24 * 60 * 60 * 1000) {
      problems.push({ field: 'endsAt', message: `a campaign lasts at most ${MAX_CAMPAIGN_DAYS} days` });
    }
    if (problems.length > 0) throw DomainError.badInput('This campaign cannot be declared.', problems);
    return inTransaction(this.dataSource, async (manager) => {
      const campaign = await this.campaigns.create(
        manager,
        { brandId: brand.id, name, startsAt: input.startsAt, endsAt: input.endsAt, createdBy: viewer.id },
        this.clock.now(),
      );
      await this.events.record(manager, {
        action: 'campaign.declared',
        actorId: viewer.id,
        brandId: brand.id,
        targetType: 'campaign',
        targetId: campaign.id,
        ...fingerprints,
        // The window, for the bursts detector to re-judge the hours inside it.
        meta: {
          campaignId: campaign.id,
          startsAt: campaign.startsAt.toISOString(),
          endsAt: campaign.endsAt.toISOString(),
        },
      });
      return campaign;
    });
  }

  findById(id: string): Promise<CampaignRecord | null> {
    return this.campaigns.findById(this.dataSource.manager, id);
  }

  /** A page of the brand's campaigns, latest start first; `first + 1` rows for pageInfo. */
  list(brandId: string, first: number, after: string | null | undefined): Promise<CampaignRecord[]> {
    const cursor = after ? decodeCursor(after, 2) : null;
    if (cursor && (Number.isNaN(Date.parse(String(cursor[0]))) || !isUuid(String(cursor[1])))) {
      throw invalidCursor();
    }
    return this.campaigns.listByBrand(
      this.dataSource.manager,
      brandId,
      cursor ? [String(cursor[0]), String(cursor[1])] : null,
      first + 1,
    );
  }
}
