import { Field, Int, ObjectType } from '@nestjs/graphql';
import { GAME_RULES, type AwardCode } from '@boardroom/game';
import type { UserAwardRecord } from '../awards.repository.js';

/** An award as the rules declare it. */
@ObjectType('AwardDefinition')
export class AwardDefinitionDto {
  @Field() code!: string;
  @Field() name!: string;
  @Field() description!: string;
  @Field(() => Int) sharesBonus!: number;
  @Field({ description: 'Granted once per brand (in that brand) rather than once per user.' }) perBrand!: boolean;

  static of(code: AwardCode): AwardDefinitionDto {
    return Object.assign(new AwardDefinitionDto(), { code, ...GAME_RULES.awards[code] });
  }
}

/** An award a user holds; award and brand are field resolvers. */
@ObjectType('UserAward')
export class UserAwardDto {
  @Field() grantedAt!: Date;

  record!: UserAwardRecord;

  static from(record: UserAwardRecord): UserAwardDto {
    return Object.assign(new UserAwardDto(), { grantedAt: record.grantedAt, record });
  }
}
