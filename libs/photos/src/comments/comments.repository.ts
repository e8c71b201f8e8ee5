import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows, type TimestampPageStart } from '@boardroom/core';
import type { CommentRecord, ListedComment } from './comment.record.js';

interface CommentRow {
  id: string;
  photo_id: string;
  author_id: string;
  body: string;
  created_at: Date;
  deleted_at: Date | null;
  author_banned: boolean;
}

/** Leaves out the comments of banned users (their content is hidden from everyone but staff). */
const AUTHOR_NOT_BANNED = `NOT EXISTS (SELECT 1 FROM users u WHERE u.id = c.author_id AND u.banned_at IS NOT NULL)`;

const COLUMNS = `c.id, c.photo_id, c.author_id, c.body, c.created_at, c.deleted_at, NOT ${AUTHOR_NOT_BANNED} AS author_banned`;

const toRecord = (row: CommentRow): CommentRecord => ({
  id: row.id,
  photoId: row.photo_id,
  authorId: row.author_id,
  body: row.body,
  createdAt: row.created_at,
  deletedAt: row.deleted_at,
  authorBanned: row.author_banned,
});

/** All SQL on `comments`. */
@Injectable()
export class CommentsRepository {
  async insert(
    manager: EntityManager,
    comment: { photoId: string; authorId: string; body: string; createdAt: Date },
  ): Promise<CommentRecord> {
    const [row] = await queryRows<CommentRow>(
      manager,
      `INSERT INTO comments AS c (photo_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [comment.photoId, comment.authorId, comment.body, comment.createdAt],
    );
    return toRecord(row!);
  }

  /** A comment, deleted or not. */
  async findById(
    manager: EntityManager,
    id: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<CommentRecord | null> {
    const [row] = await queryRows<CommentRow>(
      manager,
      `SELECT ${COLUMNS} FROM comments c WHERE c.id = $1 ${options.forUpdate ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return row ? toRecord(row) : null;
  }

  /** The author's latest comment bodies before `beforeId` (deleted ones included: they were posted), newest first. */
  async latestBodies(manager: EntityManager, authorId: string, beforeId: string, limit: number): Promise<string[]> {
    const rows = await queryRows<{ body: string }>(
      manager,
      `SELECT body FROM comments WHERE author_id = $1 AND id <> $2 ORDER BY created_at DESC, id DESC LIMIT $3`,
      [authorId, beforeId, limit],
    );
    return rows.map((row) => row.body);
  }

  /** Erasure: the author's comments lose their text and leave every list. */
  async eraseAuthored(manager: EntityManager, authorId: string, at: Date): Promise<void> {
    await queryRows(
      manager,
      `UPDATE comments SET body = '[deleted]', deleted_at = coalesce(deleted_at, $2) WHERE author_id = $1`,
      [authorId, at],
    );
  }

  async markDeleted(manager: EntityManager, id: string, at: Date): Promise<void> {
    await queryRows(manager, `UPDATE comments SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL`, [id, at]);
  }

  /** A photo's comments that are not deleted (nor by a banned user), oldest first. */
  async listByPhoto(
    manager: EntityManager,
    photoId: string,
    after: TimestampPageStart,
    limit: number,
  ): Promise<ListedComment[]> {
    const rows = await queryRows<CommentRow & { sort_key: string }>(
      manager,
      `SELECT ${COLUMNS}, c.created_at::text AS sort_key FROM comments c
        WHERE c.photo_id = $1 AND c.deleted_at IS NULL AND ${AUTHOR_NOT_BANNED}
          AND ($2::timestamptz IS NULL OR (c.created_at, c.id) > ($2::timestamptz, $3::uuid))
        ORDER BY c.created_at, c.id
        LIMIT $4`,
      [photoId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    return rows.map((row) => ({ ...toRecord(row), sortKey: row.sort_key }));
  }

  /** Comments not deleted (nor by a banned user) per photo, for the photos given (photos with none are absent). */
  async countByPhoto(
    manager: EntityManager,
    photoIds: readonly string[],
  ): Promise<{ photoId: string; count: number }[]> {
    return queryRows<{ photoId: string; count: number }>(
      manager,
      `SELECT c.photo_id AS "photoId", count(*)::int AS count FROM comments c
        WHERE c.photo_id = ANY($1::uuid[]) AND c.deleted_at IS NULL AND ${AUTHOR_NOT_BANNED}
        GROUP BY c.photo_id`,
      [photoIds],
    );
  }
}
