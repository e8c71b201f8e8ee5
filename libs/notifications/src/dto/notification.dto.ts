import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType, Node, toGlobalId } from '@boardroom/core';
import { NOTIFICATION_KINDS, type NotificationKind, type NotificationRecord } from '../notification.record.js';

export const NotificationKindEnum = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, kind])) as {
  [K in NotificationKind]: K;
};
registerEnumType(NotificationKindEnum, { name: 'NotificationKind' });

/** A notification as its user sees it; brand is a field resolver. */
@ObjectType('Notification', { implements: () => [Node] })
export class NotificationDto implements Node {
  @Field(() => ID) id!: string;
  @Field(() => NotificationKindEnum) kind!: NotificationKind;
  @Field() message!: string;
  @Field(() => Date, { nullable: true }) readAt!: Date | null;
  @Field() createdAt!: Date;

  /** Not a GraphQL field: for the field resolvers. */
  record!: NotificationRecord;

  static from(record: NotificationRecord): NotificationDto {
    return Object.assign(new NotificationDto(), {
      id: toGlobalId('Notification', record.id),
      kind: record.kind,
      message: record.message,
      readAt: record.readAt,
      createdAt: record.createdAt,
      record,
    });
  }
}

export const NotificationConnection = ConnectionType(NotificationDto, 'Notification');
