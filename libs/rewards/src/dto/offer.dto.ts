import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType, Node, toGlobalId } from '@boardroom/core';
import { TitleEnum, type Title } from '@boardroom/game';
import { OFFER_KINDS, type OfferKind, type OfferRecord, type RedemptionRecord } from '../offer.record.js';

export const OfferKindEnum = Object.fromEntries(OFFER_KINDS.map((kind) => [kind, kind])) as { [K in OfferKind]: K };
registerEnumType(OfferKindEnum, { name: 'OfferKind' });

@ObjectType('Offer', { implements: () => [Node] })
export class OfferDto implements Node {
  @Field(() => ID) id!: string;
  @Field(() => OfferKindEnum) kind!: OfferKind;
  @Field() title!: string;
  @Field() description!: string;
  @Field(() => TitleEnum, { description: 'The lowest title that may redeem.' }) minTitle!: Title;
  @Field(() => Int, { description: 'In wallet currency; 0 = free.' }) price!: number;
  @Field(() => Int) stock!: number;
  @Field(() => Int) remaining!: number;
  @Field(() => Date, { nullable: true }) startsAt!: Date | null;
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => Date, { nullable: true }) closedAt!: Date | null;

  /** Not a GraphQL field: for the field resolvers. */
  record!: OfferRecord;

  static from(record: OfferRecord): OfferDto {
    return Object.assign(new OfferDto(), {
      id: toGlobalId('Offer', record.id),
      kind: record.kind,
      title: record.title,
      description: record.description,
      minTitle: record.minTitle,
      price: record.price,
      stock: record.stock,
      remaining: record.remaining,
      startsAt: record.startsAt,
      expiresAt: record.expiresAt,
      closedAt: record.closedAt,
      record,
    });
  }
}

@ObjectType('Redemption', { implements: () => [Node] })
export class RedemptionDto implements Node {
  @Field(() => ID) id!: string;
  @Field({ description: 'Shown at the till, e.g. 7KQ4-M2XD-9B.' }) code!: string;
  @Field({ description: 'Whether the redeemer lets the brand see their profile and employment.' })
  sharedProfile!: boolean;
  @Field(() => Date, { nullable: true }) usedAt!: Date | null;
  @Field() createdAt!: Date;

  record!: RedemptionRecord;

  static from(record: RedemptionRecord): RedemptionDto {
    return Object.assign(new RedemptionDto(), {
      id: toGlobalId('Redemption', record.id),
      code: record.code,
      sharedProfile: record.sharedProfile,
      usedAt: record.usedAt,
      createdAt: record.createdAt,
      record,
    });
  }
}

export const RedemptionConnection = ConnectionType(RedemptionDto, 'Redemption');
