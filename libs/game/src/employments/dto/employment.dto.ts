import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType, Node, toGlobalId } from '@boardroom/core';
import type { EmploymentRecord, LedgerEntryRecord, LedgerReason } from '../../ledger/ledger.types.js';
import { TITLES, type Title } from '../../rules.js';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };

export const TitleEnum = enumOf(TITLES);
registerEnumType(TitleEnum, { name: 'Title', description: 'Lowest to highest; CEO is one seat per brand.' });

const LEDGER_REASONS: readonly LedgerReason[] = [
  'PHOTO_PUBLISHED',
  'COMMENT_POSTED',
  'INVITE_QUALIFIED',
  'AWARD_BONUS',
  'REVERSAL',
  'RESTORED',
];
export const LedgerReasonEnum = enumOf(LEDGER_REASONS);
registerEnumType(LedgerReasonEnum, { name: 'LedgerReason' });

/** A user's standing in a brand; user, brand, rank and ledger are field resolvers. */
@ObjectType('Employment', { implements: () => [Node] })
export class EmploymentDto implements Node {
  @Field(() => ID) id!: string;
  @Field(() => Int) shares!: number;
  @Field(() => Int, { description: 'Net shares earned in the last 60 days: what the CEO seat follows.' })
  recentShares!: number;
  @Field(() => Int, { description: 'Virtual yearly salary, whole currency units.' }) salary!: number;
  @Field(() => TitleEnum) title!: Title;
  @Field({ description: 'When the first entry in this brand made the user an employee.' }) since!: Date;

  /** Not GraphQL fields: the record, and the rank when the list that holds it already knows it. */
  record!: EmploymentRecord;
  knownRank!: number | null;

  static from(record: EmploymentRecord, knownRank: number | null = null): EmploymentDto {
    return Object.assign(new EmploymentDto(), {
      id: toGlobalId('Employment', record.id),
      shares: record.shares,
      recentShares: record.recentShares,
      salary: record.salary,
      title: record.title,
      since: record.since,
      record,
      knownRank,
    });
  }
}

export const EmploymentConnection = ConnectionType(EmploymentDto, 'Employment');

/** One entry of a share ledger; photo and reverses are field resolvers. */
@ObjectType('LedgerEntry')
export class LedgerEntryDto {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'Signed: what the entry did to the balance.' }) shares!: number;
  @Field(() => LedgerReasonEnum) reason!: LedgerReason;
  @Field() createdAt!: Date;

  record!: LedgerEntryRecord;

  static from(record: LedgerEntryRecord): LedgerEntryDto {
    return Object.assign(new LedgerEntryDto(), {
      id: toGlobalId('LedgerEntry', record.id),
      shares: record.shares,
      reason: record.reason,
      createdAt: record.createdAt,
      record,
    });
  }
}

export const LedgerConnection = ConnectionType(LedgerEntryDto, 'Ledger');
