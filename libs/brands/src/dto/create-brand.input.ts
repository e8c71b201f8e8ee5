import { Field, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType()
export class CreateBrandInput {
  @Field({ description: 'The brand as people write it, 1 to 100 characters.' })
  @Transform(trim)
  @IsString()
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The brand’s own website; its domain identifies the brand.' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(300)
  website?: string | null;

  @Field(() => String, { nullable: true })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Create it although similar brands exist (after showing them to the user): "Philips" beside "Phillips".',
  })
  @IsOptional()
  @IsBoolean()
  confirmDistinct?: boolean | null;
}
