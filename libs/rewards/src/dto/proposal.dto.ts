import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType, Node, toGlobalId } from '@boardroom/core';
import { PROPOSAL_STATUSES, type ProposalRecord, type ProposalStatus } from '../proposal.record.js';

export const ProposalStatusEnum = Object.fromEntries(PROPOSAL_STATUSES.map((status) => [status, status])) as {
  [S in ProposalStatus]: S;
};
registerEnumType(ProposalStatusEnum, { name: 'ProposalStatus' });

@ObjectType('Proposal', { implements: () => [Node] })
export class ProposalDto implements Node {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field() body!: string;
  @Field(() => Int) votes!: number;
  @Field(() => ProposalStatusEnum) status!: ProposalStatus;
  @Field(() => String, { nullable: true }) brandResponse!: string | null;
  @Field() createdAt!: Date;

  record!: ProposalRecord;

  static from(record: ProposalRecord): ProposalDto {
    return Object.assign(new ProposalDto(), {
      id: toGlobalId('Proposal', record.id),
      title: record.title,
      body: record.body,
      votes: record.votes,
      status: record.status,
      brandResponse: record.brandResponse,
      createdAt: record.createdAt,
      record,
    });
  }
}

export const ProposalConnection = ConnectionType(ProposalDto, 'Proposal');
