import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, DomainError, EventLog, inTransaction } from '@boardroom/core';
import { UsersService, type Viewer } from '@boardroom/accounts';
import { BrandsService } from '@boardroom/brands';
import { CeoSeat } from '@boardroom/game';
import { CommentsService, PhotosService } from '@boardroom/photos';
import { ErasureRepository } from './erasure.repository.js';

/**
 * `deleteMyAccount`: erases a person's data and keeps the ledgers' arithmetic under a tombstoned user, so
 * other users' ranks and the brands' history stay right. In one transaction: the identity replaced (and the
 * account banned, so every rule hiding banned users applies: boards, the CEO seat, lists), sessions ended,
 * photos deleted with their captions, hashes and storage keys, comments' and proposals' text removed, event
 * fingerprints forgotten, unused invites, follows (both ways), brand management, email tokens and
 * notifications deleted, other users' notifications no longer quoting them, the CEO seats they held decided
 * again; the photo files are deleted after it.
 */
@Injectable()
export class AccountErasure {
  private readonly logger = new Logger(AccountErasure.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly photos: PhotosService,
    private readonly comments: CommentsService,
    private readonly brands: BrandsService,
    private readonly seat: CeoSeat,
    private readonly erasure: ErasureRepository,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  async deleteMyAccount(viewer: Viewer, password: string): Promise<boolean> {
    if (!(await this.users.passwordMatches(viewer.id, password))) {
      throw new DomainError('UNAUTHENTICATED', 'That is not your password: nothing was deleted. Enter it again.');
    }
    const files = await inTransaction(this.dataSource, async (manager) => {
      const at = this.clock.now();
      const before = await this.users.findById(viewer.id, manager);
      const erased = await this.users.tombstone(manager, viewer.id, at);
      if (!before || !erased) throw DomainError.notFound('Your account');
      await this.seat.decideSeatsHeldBy(manager, viewer.id, at);
      // A ban took them off the counts already; otherwise their published photos leave the brands' counts now.
      if (!before.bannedAt) {
        for (const { brandId, count } of await this.photos.publishedCountsByBrand(manager, viewer.id)) {
          await this.brands.subtractPhotos(manager, brandId, count);
        }
      }
      const keys = await this.photos.eraseOwned(manager, viewer.id, at);
      await this.comments.eraseAuthored(manager, viewer.id, at);
      await this.erasure.forgetFingerprints(manager, viewer.id);
      await this.erasure.deleteUnusedInvites(manager, viewer.id);
      await this.erasure.deleteFollows(manager, viewer.id);
      await this.erasure.deleteBrandManagement(manager, viewer.id);
      await this.erasure.deleteEmailTokens(manager, viewer.id);
      await this.erasure.eraseProposals(manager, viewer.id);
      await this.erasure.rewriteNotificationsQuoting(manager, viewer.id, before.handle);
      await this.erasure.deleteNotifications(manager, viewer.id);
      await this.events.record(manager, {
        action: 'account.deleted',
        targetType: 'user',
        targetId: viewer.id,
        meta: {},
      });
      return keys;
    });
    await this.photos.removeFiles(files);
    this.logger.log(`Account ${viewer.id} erased: ${files.length} stored file(s) deleted`);
    return true;
  }
}
