import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { CreditHoldRecord, CreditHoldState } from '@boardroom/game';
import type { CreditHoldDecision } from './credit-reviews.service.js';

export const CreditHoldStateEnum = {
  HELD: 'HELD',
  APPEALED: 'APPEALED',
  CLEARED: 'CLEARED',
  CONFIRMED: 'CONFIRMED',
} as const satisfies Record<CreditHoldState, CreditHoldState>;
registerEnumType(CreditHoldStateEnum, {
  name: 'CreditHoldState',
  description:
    'HELD and APPEALED: new credit is withheld until a moderator decides. CLEARED: it flows again. CONFIRMED: withheld for good.',
});

export const CreditHoldDecisionEnum = {
  CLEAR: 'CLEAR',
  CONFIRM: 'CONFIRM',
} as const satisfies Record<CreditHoldDecision, CreditHoldDecision>;
registerEnumType(CreditHoldDecisionEnum, {
  name: 'CreditHoldDecision',
  description: 'CLEAR releases what was withheld; CONFIRM forfeits it and reverses what the account earned.',
});

@ObjectType('CreditHold', { description: "Why an account's new credit is (or was) withheld as suspicious." })
export class CreditHoldDto {
  @Field(() => CreditHoldStateEnum) state!: CreditHoldState;
  @Field() heldAt!: Date;
  @Field(() => String, { nullable: true, description: "The user's appeal, if they made one." }) appeal!: string | null;
  @Field(() => Date, { nullable: true }) appealedAt!: Date | null;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
  @Field(() => Float, { nullable: true, description: 'Staff only: the combined suspicion (0..1) when held.' })
  score!: number | null;
  @Field(() => [String], { nullable: true, description: 'Staff only: the detectors whose flags held the account.' })
  detectors!: string[] | null;

  /** `forStaff`: the evidence's summary too (the user is told in general terms only). */
  static from(record: CreditHoldRecord, forStaff: boolean): CreditHoldDto {
    return Object.assign(new CreditHoldDto(), {
      state: record.state,
      heldAt: record.heldAt,
      appeal: record.appeal,
      appealedAt: record.appealedAt,
      decidedAt: record.decidedAt,
      score: forStaff ? record.score : null,
      detectors: forStaff ? record.detectors : null,
    });
  }
}
