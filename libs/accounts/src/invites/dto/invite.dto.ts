import { Field, ObjectType } from '@nestjs/graphql';
import type { InviteRecord } from '../invite.record.js';

/** An invite as its inviter sees it; `url` and `acceptedBy` are resolved by InvitesResolver. */
@ObjectType('Invite')
export class InviteDto {
  @Field({ description: 'Random and unguessable; give it to one person.' })
  code!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the invitee published a first earning photo.' })
  qualifiedAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the invite stopped counting and its bonus was reversed: the invitee was found fraudulent.',
  })
  revokedAt!: Date | null;

  /** Not a GraphQL field: what the field resolvers decide from. */
  record!: InviteRecord;

  static from(record: InviteRecord): InviteDto {
    return Object.assign(new InviteDto(), {
      code: record.code,
      createdAt: record.createdAt,
      qualifiedAt: record.qualifiedAt,
      revokedAt: record.revokedAt,
      record,
    });
  }
}
