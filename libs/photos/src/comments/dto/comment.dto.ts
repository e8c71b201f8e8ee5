import { Field, ID, ObjectType } from '@nestjs/graphql';
import { ConnectionType, Node, toGlobalId } from '@boardroom/core';
import type { CommentRecord } from '../comment.record.js';

/** A comment as clients see it; author and photo are field resolvers. */
@ObjectType('Comment', { implements: () => [Node] })
export class CommentDto implements Node {
  @Field(() => ID) id!: string;
  @Field() body!: string;
  @Field() createdAt!: Date;

  /** Not a GraphQL field: for the field resolvers. */
  record!: CommentRecord;

  static from(record: CommentRecord): CommentDto {
    return Object.assign(new CommentDto(), {
      id: toGlobalId('Comment', record.id),
      body: record.body,
      createdAt: record.createdAt,
      record,
    });
  }
}

export const CommentConnection = ConnectionType(CommentDto, 'Comment');
