import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ConnectionType, Node, toGlobalId } from '@boardroom/core';
import type { CampaignRecord } from '../campaign.record.js';

/** A declared campaign: bursts of the brand's activity inside its window are explained. */
@ObjectType('Campaign', { implements: () => [Node] })
export class CampaignDto implements Node {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() startsAt!: Date;
  @Field() endsAt!: Date;
  @Field() createdAt!: Date;

  record!: CampaignRecord;

  static from(record: CampaignRecord): CampaignDto {
    return Object.assign(new CampaignDto(), {
      id: toGlobalId('Campaign', record.id),
      name: record.name,
      startsAt: record.startsAt,
      endsAt: record.endsAt,
      createdAt: record.createdAt,
      record,
    });
  }
}

export const CampaignConnection = ConnectionType(CampaignDto, 'Campaign');
