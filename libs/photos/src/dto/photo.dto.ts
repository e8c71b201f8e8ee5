import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType, Node, toGlobalId } from '@boardroom/core';
import type { PhotoRecord, PhotoStatus, SharesWithheld } from '../photo.record.js';

export const PhotoStatusEnum = {
  PROCESSING: 'PROCESSING',
  PUBLISHED: 'PUBLISHED',
  REJECTED: 'REJECTED',
  REMOVED: 'REMOVED',
} as const satisfies Record<PhotoStatus, PhotoStatus>;
registerEnumType(PhotoStatusEnum, { name: 'PhotoStatus' });

export const SharesWithheldEnum = {
  DAILY_CAP: 'DAILY_CAP',
  DUPLICATE: 'DUPLICATE',
  FLAGGED: 'FLAGGED',
} as const satisfies Record<SharesWithheld, SharesWithheld>;
registerEnumType(SharesWithheldEnum, { name: 'SharesWithheld' });

/** A photo as clients see it; owner, brand, URLs, duplicateOf and comments are field resolvers. */
@ObjectType('Photo', { implements: () => [Node] })
export class PhotoDto implements Node {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) caption!: string | null;
  @Field(() => PhotoStatusEnum) status!: PhotoStatus;
  @Field(() => String, { nullable: true, description: 'When REJECTED: what a person can fix.' })
  rejectionReason!: string | null;
  @Field(() => Int, { nullable: true, description: 'As displayed (after the EXIF orientation).' })
  width!: number | null;
  @Field(() => Int, { nullable: true }) height!: number | null;
  @Field(() => Int, { description: 'Shares the photo earned when published; never changes afterwards.' })
  sharesAwarded!: number;
  @Field(() => SharesWithheldEnum, { nullable: true, description: 'Why the photo earned 0, if it did.' })
  sharesWithheld!: SharesWithheld | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) publishedAt!: Date | null;

  /** Not a GraphQL field: for the field resolvers. */
  record!: PhotoRecord;

  static from(record: PhotoRecord): PhotoDto {
    return Object.assign(new PhotoDto(), {
      id: toGlobalId('Photo', record.id),
      caption: record.caption,
      status: record.status,
      rejectionReason: record.status === 'REJECTED' ? record.rejectionReason : null,
      width: record.width,
      height: record.height,
      sharesAwarded: record.sharesAwarded,
      sharesWithheld: record.sharesWithheld,
      createdAt: record.createdAt,
      publishedAt: record.publishedAt,
      record,
    });
  }
}

export const PhotoConnection = ConnectionType(PhotoDto, 'Photo');
