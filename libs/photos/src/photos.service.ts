import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  Clock,
  DomainError,
  EventLog,
  afterCommit,
  inTransaction,
  isUuid,
  timestampPageStart as pageStart,
} from '@boardroom/core';
import { isStaff, type ClientInfo, type Viewer } from '@boardroom/accounts';
import { BrandsService } from '@boardroom/brands';
import { StorageDriver } from '@boardroom/media';
import { PhotoEarnings } from './photo-earnings.js';
import { storedKeys, type PhotoRecord } from './photo.record.js';
import { PhotosRepository, type ListedPhoto } from './photos.repository.js';

/** Where a removed photo's renditions are kept until a restoration. */
const REMOVED_PREFIX = 'removed/';

/** Roles that see photos in every state, as moderation needs. */

/** Photos once stored: who sees what, lists and the feed, deletion by the owner. */
@Injectable()
export class PhotosService {
  private readonly logger = new Logger(PhotosService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly photos: PhotosRepository,
    private readonly brands: BrandsService,
    private readonly earnings: PhotoEarnings,
    private readonly storage: StorageDriver,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  /**
   * Published photos are public; the others (a removed one too) only to their owner and staff; a banned
   * user's only to staff; deleted ones to nobody.
   */
  canSee(viewer: Viewer | null, photo: PhotoRecord): boolean {
    if (photo.deletedAt) return false;
    const staff = isStaff(viewer);
    if (photo.ownerBanned) return staff;
    if (photo.status === 'PUBLISHED') return true;
    return staff || viewer?.id === photo.ownerId;
  }

  async findVisible(viewer: Viewer | null, id: string): Promise<PhotoRecord | null> {
    // An id that is no uuid names no photo (and must not reach SQL as one).
    if (!isUuid(id)) return null;
    const photo = await this.photos.findById(this.dataSource.manager, id);
    return photo && this.canSee(viewer, photo) ? photo : null;
  }

  findByIds(ids: readonly string[]): Promise<PhotoRecord[]> {
    return this.photos.findByIds(this.dataSource.manager, ids);
  }

  /** The photo under a row lock, for a moderator's decision in the caller's transaction; null when none or deleted. */
  async lockForDecision(manager: EntityManager, id: string): Promise<PhotoRecord | null> {
    if (!isUuid(id)) return null;
    const photo = await this.photos.findById(manager, id, { lock: 'update' });
    return photo && !photo.deletedAt ? photo : null;
  }

  /**
   * A moderator's removal (PUBLISHED → REMOVED) or restoration (REMOVED → PUBLISHED) of a photo the caller
   * holds locked, in the caller's transaction (one of `inTransaction`): out of (or back in) every list, the
   * brand's photo count and the rendition URLs. The caller changes the photo's shares first (the employment
   * before the brand row, in the order publishing takes them).
   *
   * A removed photo's renditions move under {@link REMOVED_PREFIX}, so that URLs signed before the removal
   * stop working (an S3 presigned URL cannot be revoked otherwise); a restoration moves them back. They are
   * copied before the commit and the old objects deleted after it: the row always names objects that exist.
   */
  async moderate(manager: EntityManager, photo: PhotoRecord, to: 'REMOVED' | 'PUBLISHED'): Promise<PhotoRecord> {
    const from = to === 'REMOVED' ? 'PUBLISHED' : 'REMOVED';
    const move = (key: string | null) =>
      key === null ? null : to === 'REMOVED' ? `${REMOVED_PREFIX}${key}` : key.slice(REMOVED_PREFIX.length);
    const keys = { displayKey: move(photo.displayKey), thumbnailKey: move(photo.thumbnailKey) };
    if (!(await this.photos.moveStatus(manager, photo.id, from, to, keys))) {
      throw new Error(`Photo ${photo.id} is not ${from}: the caller must hold its lock and check its status`);
    }
    const moves = [
      [photo.displayKey, keys.displayKey],
      [photo.thumbnailKey, keys.thumbnailKey],
    ].filter((pair): pair is [string, string] => pair[0] !== null && pair[1] !== null);
    for (const [oldKey, newKey] of moves) {
      // Renditions are WebP (see PhotoProcessor).
      await this.storage.put(newKey, await this.storage.get(oldKey), { contentType: 'image/webp' });
    }
    afterCommit(manager, () => this.removeFiles(moves.map(([oldKey]) => oldKey)));
    await this.brands.adjustPhotoCount(manager, photo, to === 'REMOVED' ? -1 : 1);
    return { ...photo, status: to, ...keys };
  }

  /** How many published photos the owner has in each brand (a ban takes them off the brands' counts). */
  publishedCountsByBrand(manager: EntityManager, ownerId: string): Promise<{ brandId: string; count: number }[]> {
    return this.photos.publishedCountsByBrand(manager, ownerId);
  }

  /**
   * Erasure of the owner's account, in the caller's transaction: every photo deleted and its caption gone.
   * Returns the storage keys of their files, to delete once the transaction committed ({@link removeFiles}).
   */
  eraseOwned(manager: EntityManager, ownerId: string, at: Date): Promise<string[]> {
    return this.photos.eraseOwned(manager, ownerId, at);
  }

  /** The photo's credit, withheld from a held account when it was published, was released: it earned `shares`. */
  async creditReleased(manager: EntityManager, id: string, shares: number): Promise<void> {
    await this.photos.setEarning(manager, id, { sharesAwarded: shares, sharesWithheld: null });
  }

  /** A short-lived URL of one rendition, once the photo is published; each field signs only its own. */
  async renditionUrl(photo: PhotoRecord, rendition: 'display' | 'thumbnail'): Promise<string | null> {
    const key = rendition === 'display' ? photo.displayKey : photo.thumbnailKey;
    return photo.status === 'PUBLISHED' && key ? this.storage.url(key) : null;
  }

  /** `first + 1` published photos of a brand after the cursor, newest first. */
  listByBrand(brandId: string, first: number, after: string | null | undefined): Promise<ListedPhoto[]> {
    return this.photos.listPublishedByBrand(this.dataSource.manager, brandId, pageStart(after), first + 1);
  }

  /** `first + 1` photos of a user, newest first: the owner (and staff) see every state, others the published ones. */
  listByOwner(
    viewer: Viewer | null,
    ownerId: string,
    first: number,
    after: string | null | undefined,
  ): Promise<ListedPhoto[]> {
    const allStates = viewer?.id === ownerId || isStaff(viewer);
    return this.photos.listByOwner(this.dataSource.manager, ownerId, {
      allStates,
      after: pageStart(after),
      limit: first + 1,
    });
  }

  feed(viewer: Viewer, first: number, after: string | null | undefined): Promise<ListedPhoto[]> {
    return this.photos.feed(this.dataSource.manager, viewer.id, pageStart(after), first + 1);
  }

  /**
   * The owner deletes a photo: it disappears at once (the row stays for the ledger and the events),
   * and its files are removed after the commit. A photo still processing is cleaned up by its job.
   */
  async delete(viewer: Viewer, id: string, client: ClientInfo): Promise<void> {
    if (!isUuid(id)) throw DomainError.notFound('The photo');
    const photo = await inTransaction(this.dataSource, async (manager) => {
      const found = await this.photos.findById(manager, id, { lock: 'update' });
      if (!found || !this.canSee(viewer, found)) throw DomainError.notFound('The photo');
      if (found.ownerId !== viewer.id) throw new DomainError('FORBIDDEN', 'Only the owner may delete a photo.');
      const at = this.clock.now();
      await this.photos.markDeleted(manager, id, at);
      // The employment before the brand row, in the order publishing takes them (no deadlock between the two).
      await this.earnings.deleted(manager, found, at);
      if (found.status === 'PUBLISHED') await this.brands.adjustPhotoCount(manager, found, -1);
      await this.events.record(manager, {
        action: 'photo.deleted',
        actorId: viewer.id,
        brandId: found.brandId,
        targetType: 'photo',
        targetId: id,
        networkFingerprint: client.ip,
        deviceFingerprint: client.deviceId,
        meta: { status: found.status },
      });
      return found;
    });
    await this.removeFiles(storedKeys(photo));
  }

  /**
   * Photos deleted, or removed by a moderator, before `before` whose files are still stored: a page of ids after
   * `after`, for the retention purge.
   */
  filesToPurge(before: Date, after: string | null, limit: number): Promise<string[]> {
    return this.photos.filesToPurge(this.dataSource.manager, before, after, limit);
  }

  /**
   * The retention purge of one photo: under its lock, if it is still deleted or removed, its files are deleted and
   * the row names none any more (a restoration is then refused). A failed deletion throws and keeps the keys, so
   * a later run tries again. False when there was nothing to purge.
   */
  async purgeFiles(id: string): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      const keys = await this.photos.lockFilesToPurge(manager, id);
      if (!keys) return false;
      for (const key of keys) await this.storage.delete(key);
      await this.photos.forgetFiles(manager, id);
      return true;
    });
  }

  /** Deletes stored objects; a failure is logged, not thrown: the database no longer points at them. */
  async removeFiles(keys: string[]): Promise<void> {
    await Promise.all(
      keys.map((key) =>
        this.storage.delete(key).catch((error: unknown) => {
          this.logger.warn(`Could not delete stored object ${key}: ${(error as Error).message}`);
        }),
      ),
    );
  }
}
