import { Field, InputType, Int } from '@nestjs/graphql';
import { TitleEnum, type Title } from '@boardroom/game';
import { OfferKindEnum } from './offer.dto.js';
import type { OfferKind } from '../offer.record.js';

@InputType('CreateOfferInput')
export class CreateOfferInput {
  @Field(() => OfferKindEnum) kind!: OfferKind;
  @Field({ description: '3 to 120 characters.' }) title!: string;
  @Field({ description: '1 to 5,000 characters.' }) description!: string;
  @Field(() => TitleEnum, { description: 'The lowest title that may redeem.' }) minTitle!: Title;
  @Field(() => Int, { description: '1 to 1,000,000.' }) stock!: number;
  @Field(() => Int, { nullable: true, description: 'In wallet currency, 0 or more; 0 by default.' })
  price?: number | null;
  @Field(() => Date, { nullable: true }) startsAt?: Date | null;
  @Field(() => Date, { nullable: true, description: 'After startsAt.' }) expiresAt?: Date | null;
}
