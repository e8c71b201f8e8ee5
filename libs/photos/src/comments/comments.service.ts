import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock, DomainError, EventLog, inTransaction, isUuid, timestampPageStart } from '@boardroom/core';
import { UsersService, isStaff, type ClientInfo, type Viewer } from '@boardroom/accounts';
import { NotificationsService } from '@boardroom/notifications';
import { PhotoEarnings } from '../photo-earnings.js';
import type { PhotoRecord } from '../photo.record.js';
import { PhotosRepository } from '../photos.repository.js';
import { PhotosService } from '../photos.service.js';
import { COMMENT_MAX_LENGTH, type CommentRecord, type ListedComment } from './comment.record.js';
import { CommentsRepository } from './comments.repository.js';

/** Comments on photos: posting on published photos, deletion by the author, the lists and counts. */
@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly comments: CommentsRepository,
    private readonly photos: PhotosService,
    private readonly photoRows: PhotosRepository,
    private readonly events: EventLog,
    private readonly earnings: PhotoEarnings,
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /** Posts a comment (trimmed, 1 to {@link COMMENT_MAX_LENGTH} characters) on a published photo the viewer sees. */
  async post(viewer: Viewer, photoId: string, body: string, client: ClientInfo): Promise<CommentRecord> {
    const text = validBody(body);
    return inTransaction(this.dataSource, async (manager) => {
      // Shared lock: a deletion of the photo waits for this comment, or this comment sees the deletion.
      const photo = isUuid(photoId) ? await this.photoRows.findById(manager, photoId, { lock: 'share' }) : null;
      if (!photo || !this.photos.canSee(viewer, photo)) throw DomainError.notFound('The photo');
      if (photo.status !== 'PUBLISHED') {
        throw DomainError.badInput('Comments open once the photo is published; try again when it is.', [
          { field: 'photoId', message: 'the photo is not published' },
        ]);
      }
      // Dated by the product's clock: the comment's earning entry, and its day's cap, use this time.
      const comment = await this.comments.insert(manager, {
        photoId,
        authorId: viewer.id,
        body: text,
        createdAt: this.clock.now(),
      });
      const previousBodies = await this.comments.latestBodies(
        manager,
        viewer.id,
        comment.id,
        this.earnings.repeatWindow,
      );
      const sharesAwarded = await this.earnings.commentPosted(
        manager,
        { id: comment.id, authorId: viewer.id, body: text, previousBodies },
        photo,
        comment.createdAt,
      );
      await this.events.record(manager, {
        action: 'comment.posted',
        actorId: viewer.id,
        brandId: photo.brandId,
        targetType: 'comment',
        targetId: comment.id,
        networkFingerprint: client.ip,
        deviceFingerprint: client.deviceId,
        meta: { photoId, photoOwnerId: photo.ownerId, sharesAwarded },
      });
      if (photo.ownerId !== viewer.id) await this.tellOwner(manager, photo, comment);
      return comment;
    });
  }

  /** COMMENT_RECEIVED for the photo's owner, with who said what (the start of it). */
  private async tellOwner(manager: EntityManager, photo: PhotoRecord, comment: CommentRecord): Promise<void> {
    const author = (await this.users.findById(comment.authorId, manager))!;
    const excerpt = [...comment.body].length > 80 ? `${[...comment.body].slice(0, 79).join('')}…` : comment.body;
    await this.notifications.notify(manager, {
      userId: photo.ownerId,
      kind: 'COMMENT_RECEIVED',
      message: `@${author.handle} commented on your photo: “${excerpt}”`,
      brandId: photo.brandId,
      meta: { photoId: photo.id, commentId: comment.id, authorId: comment.authorId },
      at: comment.createdAt,
    });
  }

  /** The author deletes a comment: it disappears from every list and count; the row stays for moderation. */
  async delete(viewer: Viewer, id: string, client: ClientInfo): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const comment = isUuid(id) ? await this.comments.findById(manager, id, { forUpdate: true }) : null;
      if (!comment || comment.deletedAt) throw DomainError.notFound('The comment');
      if (comment.authorId !== viewer.id) throw new DomainError('FORBIDDEN', 'Only the author may delete a comment.');
      const at = this.clock.now();
      await this.comments.markDeleted(manager, id, at);
      await this.earnings.commentDeleted(manager, id, at);
      const photo = await this.photoRows.findById(manager, comment.photoId);
      await this.events.record(manager, {
        action: 'comment.deleted',
        actorId: viewer.id,
        brandId: photo!.brandId,
        targetType: 'comment',
        targetId: id,
        networkFingerprint: client.ip,
        deviceFingerprint: client.deviceId,
        meta: { photoId: comment.photoId, photoOwnerId: photo!.ownerId },
      });
    });
  }

  /** Erasure of the author's account, in the caller's transaction: their comments' text is gone, and they leave every list. */
  eraseAuthored(manager: EntityManager, authorId: string, at: Date): Promise<void> {
    return this.comments.eraseAuthored(manager, authorId, at);
  }

  /**
   * A moderator hides a comment, in the caller's transaction: like the author's deletion, it leaves every
   * list and count (the row and body stay). Returns the comment as it was, with its photo's brand and
   * owner, or null when there is no such comment or it is gone already. The caller reverses its share.
   */
  async removeForModerator(
    manager: EntityManager,
    id: string,
    at: Date,
  ): Promise<{ comment: CommentRecord; photo: PhotoRecord } | null> {
    const comment = isUuid(id) ? await this.comments.findById(manager, id, { forUpdate: true }) : null;
    if (!comment || comment.deletedAt) return null;
    await this.comments.markDeleted(manager, id, at);
    return { comment, photo: (await this.photoRows.findById(manager, comment.photoId))! };
  }

  /** A comment that is not deleted (nor, but to staff, by a banned user), on a photo the viewer may see; otherwise null. */
  async findVisible(viewer: Viewer | null, id: string): Promise<CommentRecord | null> {
    const comment = isUuid(id) ? await this.comments.findById(this.dataSource.manager, id) : null;
    if (!comment || comment.deletedAt || (comment.authorBanned && !isStaff(viewer))) return null;
    return (await this.photos.findVisible(viewer, comment.photoId)) ? comment : null;
  }

  /** `first + 1` comments of a photo after the cursor, oldest first. */
  listByPhoto(photoId: string, first: number, after: string | null | undefined): Promise<ListedComment[]> {
    return this.comments.listByPhoto(this.dataSource.manager, photoId, timestampPageStart(after), first + 1);
  }

  countByPhoto(photoIds: readonly string[]) {
    return this.comments.countByPhoto(this.dataSource.manager, photoIds);
  }
}

/** The trimmed body, or BAD_USER_INPUT on `body`. */
function validBody(body: string): string {
  const text = body.trim();
  // Code points, as PostgreSQL's char_length counts them (an emoji is one character, not two).
  const length = [...text].length;
  if (length === 0) {
    throw DomainError.badInput('A comment needs some text.', [{ field: 'body', message: 'must not be empty' }]);
  }
  if (length > COMMENT_MAX_LENGTH) {
    throw DomainError.badInput(
      `A comment may have at most ${COMMENT_MAX_LENGTH} characters (this one has ${length}); shorten it.`,
      [{ field: 'body', message: `must be at most ${COMMENT_MAX_LENGTH} characters` }],
    );
  }
  return text;
}
