import { randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, EventLog, JobRegistry, inTransaction, type JobInfo } from '@boardroom/core';
import { BrandsService } from '@boardroom/brands';
import { ImagePipeline, StorageDriver, type ProcessedImage } from '@boardroom/media';
import { PhotoEarnings } from '../photo-earnings.js';
import { storedKeys, type PhotoRecord } from '../photo.record.js';
import { PhotosRepository } from '../photos.repository.js';
import { PhotosService } from '../photos.service.js';

const UNDECODABLE =
  'The image could not be read: the file may be damaged or use a feature we do not support. Export it again as a JPEG or PNG and upload it.';
const GAVE_UP = 'We could not process this photo. Upload it again; if it keeps failing, try exporting it as a JPEG.';

/**
 * The `photo.process` job: orient and strip the original, make the display rendition and the thumbnail,
 * hash it, link an earlier near-identical photo of the brand, and publish, all under the brand's
 * duplicate lock in one transaction with the `photo.published` event. A photo that cannot be decoded
 * is rejected with a reason a person can act on, and its files are removed. Runs at least once:
 * a photo no longer PROCESSING is left alone.
 */
/** A photo waiting for processing, not deleted: it has its original and hash (only deleted photos lose them). */
type ProcessingPhoto = PhotoRecord & { originalKey: string; sha256: string };

function isProcessing(photo: PhotoRecord | null): photo is ProcessingPhoto {
  return photo?.status === 'PROCESSING' && !photo.deletedAt && photo.originalKey !== null && photo.sha256 !== null;
}

@Injectable()
export class PhotoProcessor implements OnModuleInit {
  private readonly logger = new Logger(PhotoProcessor.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly photos: PhotosRepository,
    private readonly photosService: PhotosService,
    private readonly brands: BrandsService,
    private readonly earnings: PhotoEarnings,
    private readonly storage: StorageDriver,
    private readonly pipeline: ImagePipeline,
    private readonly events: EventLog,
    private readonly clock: Clock,
    private readonly registry: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register('photo.process', ({ photoId }, job) => this.process(photoId, job));
  }

  async process(photoId: string, job: Pick<JobInfo, 'attempt' | 'maxAttempts'>): Promise<void> {
    const photo = await this.photos.findById(this.dataSource.manager, photoId);
    // Deleted by its owner meanwhile: the deletion removed the files.
    if (!isProcessing(photo)) return;

    let original: Buffer;
    try {
      original = await buffer(await this.storage.get(photo.originalKey));
    } catch (error) {
      // Storage may be briefly unreachable: retry, and give up cleanly on the last attempt.
      if (job.attempt < job.maxAttempts) throw error;
      this.logger.error(`Photo ${photoId}: original unreadable after ${job.attempt} attempts: ${String(error)}`);
      return this.reject(photo, GAVE_UP, String(error));
    }

    let image: ProcessedImage;
    try {
      image = await this.pipeline.process(original);
    } catch (error) {
      // The bytes passed validation but the decoder refused them: retrying would fail the same way.
      return this.reject(photo, UNDECODABLE, (error as Error).message);
    }

    const folder = `renditions/${randomUUID()}`;
    const keys = { displayKey: `${folder}/display.webp`, thumbnailKey: `${folder}/thumbnail.webp` };
    try {
      await Promise.all([
        this.storage.put(keys.displayKey, image.display.bytes, { contentType: image.display.contentType }),
        this.storage.put(keys.thumbnailKey, image.thumbnail.bytes, { contentType: image.thumbnail.contentType }),
      ]);
      if (!(await this.publish(photo, image, keys))) {
        await this.photosService.removeFiles([keys.displayKey, keys.thumbnailKey]);
      }
    } catch (error) {
      await this.photosService.removeFiles([keys.displayKey, keys.thumbnailKey]);
      if (job.attempt < job.maxAttempts) throw error;
      this.logger.error(`Photo ${photoId}: could not be published after ${job.attempt} attempts: ${String(error)}`);
      await this.reject(photo, GAVE_UP, String(error));
    }
  }

  /** Publishes under the brand's duplicate lock; false when the photo was deleted or decided meanwhile. */
  private publish(
    photo: ProcessingPhoto,
    image: ProcessedImage,
    keys: { displayKey: string; thumbnailKey: string },
  ): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      await this.photos.lockBrandDuplicates(manager, photo.brandId);
      const current = await this.photos.findById(manager, photo.id, { lock: 'update' });
      if (!current || current.status !== 'PROCESSING' || current.deletedAt) return false;
      const duplicateOf = await this.photos.findDuplicate(
        manager,
        { id: photo.id, brandId: photo.brandId, sha256: photo.sha256, perceptualHash: image.perceptualHash },
        this.earnings.maxDuplicateDistance,
      );
      const publishedAt = this.clock.now();
      const earning = await this.earnings.published(manager, { ...photo, duplicateOf }, publishedAt);
      await this.photos.publish(manager, photo.id, {
        ...keys,
        perceptualHash: image.perceptualHash,
        duplicateOf,
        ...earning,
        publishedAt,
      });
      await this.brands.adjustPhotoCount(manager, photo, 1);
      await this.events.record(manager, {
        action: 'photo.published',
        actorId: photo.ownerId,
        brandId: photo.brandId,
        targetType: 'photo',
        targetId: photo.id,
        fingerprintsOfEvent: photo.uploadEventId,
        meta: { duplicateOf, ...earning },
        // The product's clock, as the ledger entry has it: the day of a streak is the day of the award.
        occurredAt: publishedAt,
      });
      return true;
    });
  }

  /** REJECTED with a reason, its event, and no file left behind. */
  private async reject(photo: PhotoRecord, reason: string, detail: string): Promise<void> {
    const rejected = await inTransaction(this.dataSource, async (manager) => {
      const current = await this.photos.findById(manager, photo.id, { lock: 'update' });
      if (!current || current.status !== 'PROCESSING') return false;
      await this.photos.reject(manager, photo.id, reason);
      await this.events.record(manager, {
        action: 'photo.rejected',
        actorId: photo.ownerId,
        brandId: photo.brandId,
        targetType: 'photo',
        targetId: photo.id,
        fingerprintsOfEvent: photo.uploadEventId,
        meta: { reason, detail },
      });
      return true;
    });
    if (rejected) {
      this.logger.warn(`Photo ${photo.id} rejected: ${detail}`);
      await this.photosService.removeFiles(storedKeys(photo));
    }
  }
}
