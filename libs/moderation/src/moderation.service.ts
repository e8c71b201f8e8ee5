import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  Clock,
  DomainError,
  EventLog,
  decodeCursor,
  inTransaction,
  invalidCursor,
  isTimestampText,
  isUuid,
  serialPageStart,
} from '@boardroom/core';
import { Role, UsersService, type UserRecord, type Viewer } from '@boardroom/accounts';
import { BrandsService } from '@boardroom/brands';
import { CeoSeat, ShareLedger } from '@boardroom/game';
import { CommentsService, PhotosService, type PhotoRecord } from '@boardroom/photos';
import { ModerationDecisions } from './moderation-decisions.js';
import { ModerationRepository, type QueuePageStart } from './moderation.repository.js';
import { optionalText, requiredText } from './moderation-text.js';
import { type AuditRecord, type ReportReason, type ReportTarget, type ReportedItemRecord } from './moderation.types.js';

const TARGETS: readonly ReportTarget[] = ['PHOTO', 'COMMENT', 'USER', 'BRAND'];

/**
 * Reports and the queue, moderators' decisions (removing and restoring photos, removing comments, bans,
 * dismissals) with the shares they reverse or give back, and the audit log. Each decision records itself
 * (moderation_decisions), closes the target's open reports and writes its event, in one transaction.
 */
@Injectable()
export class ModerationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly moderation: ModerationRepository,
    private readonly decisions: ModerationDecisions,
    private readonly photos: PhotosService,
    private readonly comments: CommentsService,
    private readonly users: UsersService,
    private readonly brands: BrandsService,
    private readonly ledger: ShareLedger,
    private readonly seat: CeoSeat,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  /**
   * Reports a target the reporter can see. One report per reporter and target: a repeat is accepted and
   * changes nothing (true either way), so a client may retry.
   */
  async report(
    viewer: Viewer,
    target: ReportTarget,
    targetId: string,
    reason: ReportReason,
    details: string | null | undefined,
  ): Promise<boolean> {
    const text = optionalText(details, 'details');
    if (!(await this.targetExists(viewer, target, targetId))) throw DomainError.notFound(`The ${targetNoun(target)}`);
    return inTransaction(this.dataSource, async (manager) => {
      const at = this.clock.now();
      const filed = await this.moderation.insertReport(manager, {
        reporterId: viewer.id,
        targetType: target,
        targetId,
        reason,
        details: text,
        at,
      });
      if (filed) {
        await this.events.record(manager, {
          action: 'content.reported',
          actorId: viewer.id,
          targetType: target.toLowerCase(),
          targetId,
          meta: { reason },
        });
      }
      return true;
    });
  }

  /** `first + 1` queue items after the cursor: most reported first, then the latest report. */
  queue(first: number, after: string | null | undefined): Promise<ReportedItemRecord[]> {
    return this.moderation.queue(this.dataSource.manager, queuePageStart(after), first + 1);
  }

  /** Closes a target's open reports without acting on it (NOT_FOUND when it has none). */
  async dismissReports(moderator: Viewer, target: ReportTarget, targetId: string): Promise<boolean> {
    if (!isUuid(targetId)) throw DomainError.notFound(`Open reports on this ${targetNoun(target)}`);
    return inTransaction(this.dataSource, async (manager) => {
      const at = this.clock.now();
      const closed = await this.decisions.record(manager, moderator, 'DISMISS_REPORTS', target, targetId, null, at);
      if (closed.reports === 0) throw DomainError.notFound(`Open reports on this ${targetNoun(target)}`);
      await this.events.record(manager, {
        action: 'reports.dismissed',
        actorId: moderator.id,
        targetType: target.toLowerCase(),
        targetId,
        meta: { decisionId: closed.decisionId, reports: closed.reports },
      });
      return true;
    });
  }

  /**
   * Removes a published photo: hidden from every list, from `photo(id)` for all but its owner and staff,
   * its renditions no longer signed; the shares it earned reversed (which may re-seat the brand's CEO).
   * Its comments keep their shares, as when its owner deletes it.
   */
  async removePhoto(moderator: Viewer, id: string, reason: string): Promise<PhotoRecord> {
    const why = requiredText(reason, 'reason');
    return inTransaction(this.dataSource, async (manager) => {
      const photo = await this.photos.lockForDecision(manager, id);
      if (!photo) throw DomainError.notFound('The photo');
      if (photo.status === 'REMOVED') throw DomainError.conflict('ALREADY_REMOVED', 'This photo is removed already.');
      if (photo.status !== 'PUBLISHED') {
        throw DomainError.conflict(
          'NOT_PUBLISHED',
          `Only a published photo can be removed; this one is ${photo.status}.`,
        );
      }
      const at = this.clock.now();
      // The employment before the brand row, in the order publishing takes them.
      const reversal = await this.ledger.reverse(manager, `photo:${photo.id}`, at);
      const removed = await this.photos.moderate(manager, photo, 'REMOVED');
      const { decisionId } = await this.decisions.record(
        manager,
        moderator,
        'REMOVE_PHOTO',
        'PHOTO',
        photo.id,
        why,
        at,
      );
      await this.events.record(manager, {
        action: 'photo.removed',
        actorId: moderator.id,
        brandId: photo.brandId,
        targetType: 'photo',
        targetId: photo.id,
        meta: { reason: why, decisionId, ownerId: photo.ownerId, sharesReversed: -(reversal?.shares ?? 0) },
      });
      return removed;
    });
  }

  /** Publishes a removed photo again and gives back what its removal took, through a restoration entry. */
  async restorePhoto(moderator: Viewer, id: string): Promise<PhotoRecord> {
    return inTransaction(this.dataSource, async (manager) => {
      const photo = await this.photos.lockForDecision(manager, id);
      if (!photo) throw DomainError.notFound('The photo');
      if (photo.status !== 'REMOVED') {
        throw DomainError.conflict('NOT_REMOVED', `Only a removed photo can be restored; this one is ${photo.status}.`);
      }
      if (photo.originalKey === null) {
        throw DomainError.conflict(
          'FILES_PURGED',
          'This photo was removed too long ago: its files are deleted (retention), so it cannot be shown again.',
        );
      }
      const at = this.clock.now();
      const restoration = await this.ledger.restore(manager, `photo:${photo.id}`, at);
      const restored = await this.photos.moderate(manager, photo, 'PUBLISHED');
      const { decisionId } = await this.decisions.record(
        manager,
        moderator,
        'RESTORE_PHOTO',
        'PHOTO',
        photo.id,
        null,
        at,
      );
      await this.events.record(manager, {
        action: 'photo.restored',
        actorId: moderator.id,
        brandId: photo.brandId,
        targetType: 'photo',
        targetId: photo.id,
        meta: { decisionId, ownerId: photo.ownerId, sharesRestored: restoration?.shares ?? 0 },
      });
      return restored;
    });
  }

  /** Hides a comment from every list and count and reverses the share it earned. */
  async removeComment(moderator: Viewer, id: string, reason: string): Promise<void> {
    const why = requiredText(reason, 'reason');
    await inTransaction(this.dataSource, async (manager) => {
      const at = this.clock.now();
      const removed = await this.comments.removeForModerator(manager, id, at);
      if (!removed) throw DomainError.notFound('The comment');
      const reversal = await this.ledger.reverse(manager, `comment:${id}`, at);
      const { decisionId } = await this.decisions.record(manager, moderator, 'REMOVE_COMMENT', 'COMMENT', id, why, at);
      await this.events.record(manager, {
        action: 'comment.removed',
        actorId: moderator.id,
        brandId: removed.photo.brandId,
        targetType: 'comment',
        targetId: id,
        meta: {
          reason: why,
          decisionId,
          authorId: removed.comment.authorId,
          photoId: removed.photo.id,
          sharesReversed: -(reversal?.shares ?? 0),
        },
      });
    });
  }

  /**
   * Bans a user: sessions end and sign-in refuses them at once, their photos and comments leave public
   * lists, they leave leaderboards, and every CEO seat they hold is decided again now (both sides told).
   * Their ledger history stays. Never an administrator, never oneself.
   */
  async banUser(moderator: Viewer, handle: string, reason: string): Promise<UserRecord> {
    const why = requiredText(reason, 'reason');
    const user = await this.users.findByHandle(handle);
    if (!user) throw DomainError.notFound(`A user with the handle ${handle}`);
    if (user.id === moderator.id) throw new DomainError('FORBIDDEN', 'You cannot ban yourself.');
    if (user.roles.includes(Role.ADMIN)) throw new DomainError('FORBIDDEN', 'An administrator cannot be banned.');
    return inTransaction(this.dataSource, async (manager) => {
      const at = this.clock.now();
      const banned = await this.users.ban(manager, user.id, at);
      if (!banned) throw DomainError.conflict('ALREADY_BANNED', `@${user.handle} is banned already.`);
      await this.seat.decideSeatsHeldBy(manager, user.id, at);
      // Their photos are hidden: the brands' counts of published photos no longer include them.
      for (const { brandId, count } of await this.photos.publishedCountsByBrand(manager, user.id)) {
        await this.brands.subtractPhotos(manager, brandId, count);
      }
      const { decisionId } = await this.decisions.record(manager, moderator, 'BAN_USER', 'USER', user.id, why, at);
      await this.events.record(manager, {
        action: 'user.banned',
        actorId: moderator.id,
        targetType: 'user',
        targetId: user.id,
        meta: { reason: why, decisionId },
      });
      return banned;
    });
  }

  /** `first + 1` privileged actions after the cursor, newest first. */
  auditLog(first: number, after: string | null | undefined): Promise<AuditRecord[]> {
    return this.moderation.auditLog(this.dataSource.manager, serialPageStart(after), first + 1);
  }

  /** An entry of the audit log by its event id, or null. */
  findAuditEntry(id: string): Promise<AuditRecord | null> {
    return /^\d{1,18}$/.test(id) ? this.moderation.auditEntry(this.dataSource.manager, id) : Promise.resolve(null);
  }

  /** Whether the reporter can see the target: what they cannot see, they cannot report. */
  private async targetExists(viewer: Viewer, target: ReportTarget, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    switch (target) {
      case 'PHOTO':
        return (await this.photos.findVisible(viewer, id)) !== null;
      case 'COMMENT':
        return (await this.comments.findVisible(viewer, id)) !== null;
      case 'USER':
        return (await this.users.findById(id)) !== null;
      case 'BRAND':
        return (await this.brands.findById(id)) !== null;
    }
  }
}

function targetNoun(target: ReportTarget): string {
  return target.toLowerCase();
}

/** Where a queue page starts: the [count, last report text, target type, target id] of the cursor `after`. */
function queuePageStart(after: string | null | undefined): QueuePageStart {
  if (!after) return null;
  const [count, last, type, id] = decodeCursor(after, 4);
  if (
    typeof count !== 'number' ||
    !Number.isInteger(count) ||
    !isTimestampText(last) ||
    !TARGETS.includes(type as ReportTarget) ||
    typeof id !== 'string' ||
    !isUuid(id)
  ) {
    throw invalidCursor();
  }
  return [count, last, type as string, id];
}
