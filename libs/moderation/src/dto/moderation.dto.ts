import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType, Node, toGlobalId } from '@boardroom/core';
import {
  TARGET_TYPE_NAMES,
  type AuditRecord,
  type ReportReason,
  type ReportTarget,
  type ReportedItemRecord,
} from '../moderation.types.js';

export const ReportTargetEnum = {
  PHOTO: 'PHOTO',
  COMMENT: 'COMMENT',
  USER: 'USER',
  BRAND: 'BRAND',
} as const satisfies Record<ReportTarget, ReportTarget>;
registerEnumType(ReportTargetEnum, { name: 'ReportTarget' });

export const ReportReasonEnum = {
  SPAM: 'SPAM',
  FAKE_ENGAGEMENT: 'FAKE_ENGAGEMENT',
  OFFENSIVE: 'OFFENSIVE',
  COPYRIGHT: 'COPYRIGHT',
  NOT_THIS_BRAND: 'NOT_THIS_BRAND',
  OTHER: 'OTHER',
} as const satisfies Record<ReportReason, ReportReason>;
registerEnumType(ReportReasonEnum, { name: 'ReportReason' });

/** A row of the moderation queue: a target with open reports; the target itself is a field resolver. */
@ObjectType('ReportedItem')
export class ReportedItemDto {
  @Field(() => ReportTargetEnum) targetType!: ReportTarget;
  @Field(() => ID, { description: 'The global id of the photo, comment, user or brand reported.' })
  targetId!: string;
  @Field(() => Int, { description: 'Open reports (one per reporter).' }) reportCount!: number;
  @Field(() => [ReportReasonEnum], { description: 'The distinct reasons given, in the order first given.' })
  reasons!: ReportReason[];
  @Field() firstReportedAt!: Date;
  @Field() lastReportedAt!: Date;

  record!: ReportedItemRecord;

  static from(record: ReportedItemRecord): ReportedItemDto {
    return Object.assign(new ReportedItemDto(), {
      targetType: record.targetType,
      targetId: toGlobalId(TARGET_TYPE_NAMES[record.targetType], record.targetId),
      reportCount: record.reportCount,
      reasons: record.reasons,
      firstReportedAt: record.firstReportedAt,
      lastReportedAt: record.lastReportedAt,
      record,
    });
  }
}

export const ReportedItemConnection = ConnectionType(ReportedItemDto, 'ReportedItem');

/** The GraphQL types of the events' target types that have one: their target ids become global ids. */
const EVENT_TARGET_TYPE_NAMES: Record<string, string> = {
  user: 'User',
  photo: 'Photo',
  comment: 'Comment',
  brand: 'Brand',
  brand_claim: 'BrandClaim',
  export_job: 'ExportJob',
};

/** A privileged action of the audit log; `actor` is a field resolver. */
@ObjectType('AuditEntry', { implements: () => [Node] })
export class AuditEntryDto implements Node {
  @Field(() => ID) id!: string;
  @Field({ description: 'The event, e.g. user.banned, photo.removed, account.role_granted.' }) action!: string;
  @Field(() => String, { nullable: true, description: 'The GraphQL type of the target (e.g. Photo, BrandClaim).' })
  targetType!: string | null;
  @Field(() => ID, { nullable: true }) targetId!: string | null;
  @Field(() => String, { nullable: true, description: 'Why, as the actor gave it.' }) reason!: string | null;
  @Field() createdAt!: Date;

  record!: AuditRecord;

  static from(record: AuditRecord): AuditEntryDto {
    const typeName = record.targetType ? EVENT_TARGET_TYPE_NAMES[record.targetType] : undefined;
    return Object.assign(new AuditEntryDto(), {
      id: toGlobalId('AuditEntry', record.id),
      action: record.action,
      targetType: typeName ?? record.targetType,
      targetId: typeName && record.targetId ? toGlobalId(typeName, record.targetId) : record.targetId,
      reason: record.reason,
      createdAt: record.createdAt,
      record,
    });
  }
}

export const AuditEntryConnection = ConnectionType(AuditEntryDto, 'AuditEntry');
