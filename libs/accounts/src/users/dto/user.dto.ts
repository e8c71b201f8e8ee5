import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Node, toGlobalId } from '@boardroom/core';
import type { UserRecord } from '../user.record.js';

/**
 * A user as clients see it. The private fields (email, roles, emailVerified)
 * are resolved by UsersResolver, which shows them to the user and admins only.
 */
@ObjectType('User', { implements: () => [Node] })
export class UserDto implements Node {
  @Field(() => ID) id!: string;
  @Field() handle!: string;
  @Field() displayName!: string;
  @Field() createdAt!: Date;

  /** Not a GraphQL field: what the field resolvers decide from. */
  record!: UserRecord;

  static from(record: UserRecord): UserDto {
    return Object.assign(new UserDto(), {
      id: toGlobalId('User', record.id),
      handle: record.handle,
      displayName: record.displayName,
      createdAt: record.createdAt,
      record,
    });
  }
}
