import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType, Node, toGlobalId } from '@boardroom/core';
import type { ClaimRecord, ClaimStatus } from '../claim.record.js';

export const ClaimStatusEnum = { PENDING: 'PENDING', APPROVED: 'APPROVED', REJECTED: 'REJECTED' } as const;
registerEnumType(ClaimStatusEnum, { name: 'ClaimStatus' });

/** A claim; `brand`, `claimant` and the private `verificationToken` come from BrandClaimsResolver. */
@ObjectType('BrandClaim', { implements: () => [Node] })
export class BrandClaimDto implements Node {
  @Field(() => ID) id!: string;
  @Field(() => ClaimStatusEnum) status!: ClaimStatus;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;

  record!: ClaimRecord;

  static from(record: ClaimRecord): BrandClaimDto {
    return Object.assign(new BrandClaimDto(), {
      id: toGlobalId('BrandClaim', record.id),
      status: record.status,
      createdAt: record.createdAt,
      decidedAt: record.decidedAt,
      record,
    });
  }
}

export const BrandClaimConnection = ConnectionType(BrandClaimDto, 'BrandClaim');
