import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType, Node, toGlobalId } from '@boardroom/core';
import type { BrandRecord } from '../brand.record.js';

@ObjectType('Brand', { implements: () => [Node] })
export class BrandDto implements Node {
  @Field(() => ID) id!: string;
  @Field() slug!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) website!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field({ description: 'Whether the brand itself has claimed this page.' }) claimed!: boolean;
  @Field() createdAt!: Date;
  @Field(() => Int, { description: 'Published photos.' }) photoCount!: number;

  /** Not a GraphQL field: for the field resolvers. */
  record!: BrandRecord;

  static from(record: BrandRecord): BrandDto {
    return Object.assign(new BrandDto(), {
      id: toGlobalId('Brand', record.id),
      slug: record.slug,
      name: record.name,
      website: record.website,
      description: record.description,
      claimed: record.claimed,
      createdAt: record.createdAt,
      photoCount: record.photoCount,
      record,
    });
  }
}

export const BrandConnection = ConnectionType(BrandDto, 'Brand');
