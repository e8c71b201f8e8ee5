import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType, toGlobalId } from '@boardroom/core';
import type { WalletEntryRecord, WalletReason } from './wallet.repository.js';

export const WalletReasonEnum = {
  PAYROLL: 'PAYROLL',
  REDEMPTION: 'REDEMPTION',
  REVERSAL: 'REVERSAL',
} as const satisfies {
  [R in WalletReason]: R;
};
registerEnumType(WalletReasonEnum, { name: 'WalletReason' });

@ObjectType('WalletEntry')
export class WalletEntryDto {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'Signed: credits are positive, debits negative.' }) amount!: number;
  @Field(() => WalletReasonEnum) reason!: WalletReason;
  @Field() createdAt!: Date;

  static from(record: WalletEntryRecord): WalletEntryDto {
    return Object.assign(new WalletEntryDto(), {
      id: toGlobalId('WalletEntry', record.id),
      amount: record.amount,
      reason: record.reason,
      createdAt: record.createdAt,
    });
  }
}

export const WalletEntryConnection = ConnectionType(WalletEntryDto, 'WalletEntry');

/** A user's wallet; entries is a field resolver. */
@ObjectType('Wallet')
export class WalletDto {
  @Field(() => Int, { description: 'Whole currency units; never below 0.' }) balance!: number;

  userId!: string;
}
