import { Field, ObjectType } from '@nestjs/graphql';
import { UserDto } from '../users/dto/user.dto.js';

@ObjectType('AuthPayload')
export class AuthPayloadDto {
  @Field({ description: 'Send as "Authorization: Bearer <accessToken>"; valid 15 minutes.' })
  accessToken!: string;

  @Field({ description: 'Exchange with refreshSession for new tokens; single use, valid 30 days.' })
  refreshToken!: string;

  @Field(() => UserDto)
  user!: UserDto;
}
