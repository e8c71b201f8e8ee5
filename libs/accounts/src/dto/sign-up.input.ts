import { Field, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType()
export class SignUpInput {
  @Field()
  @Transform(trim)
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email!: string;

  @Field({ description: 'At least 10 characters, not your email or handle.' })
  @IsString()
  password!: string;

  @Field({ description: '1 to 60 visible characters.' })
  @Transform(trim)
  @IsString()
  @Length(1, 60, { message: 'must be 1 to 60 characters' })
  @Matches(/\P{C}/u, { message: 'must contain visible characters' })
  displayName!: string;

  @Field({ description: '3 to 30 of a-z, 0-9 and _; case does not matter.' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @Matches(/^[a-z0-9_]{3,30}$/, { message: 'must be 3 to 30 of a-z, 0-9 and _' })
  handle!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The code of an invite (any case); an unknown or used code is refused. Empty: no code.',
  })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MaxLength(64)
  inviteCode?: string | null;
}
