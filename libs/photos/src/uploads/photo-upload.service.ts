import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FileUpload } from 'graphql-upload/Upload.mjs';
import type { DataSource } from 'typeorm';
import { AppConfig, DomainError, EventLog, JobQueue, inTransaction } from '@boardroom/core';
import type { ClientInfo, Viewer } from '@boardroom/accounts';
import { BrandsService } from '@boardroom/brands';
import { StorageDriver, probeImage, type ImageFormat } from '@boardroom/media';
import type { PhotoRecord } from '../photo.record.js';
import { PhotosRepository } from '../photos.repository.js';
import { receiveUpload } from './receive-upload.js';

declare module '@boardroom/core' {
  interface JobPayloads {
    'photo.process': { photoId: string };
  }
}

export const CAPTION_MAX_LENGTH = 500;
const IDEMPOTENCY_KEY_MAX_LENGTH = 200;

const CONTENT_TYPES: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
};
const EXTENSIONS: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif' };

export interface UploadPhotoInput {
  brandSlug: string;
  file: Promise<FileUpload>;
  caption?: string | null;
  idempotencyKey?: string | null;
}

/**
 * The request half of an upload: receive the file as a stream, validate it before anything is kept,
 * store the original privately, and record the photo (PROCESSING) with its event and processing job
 * in one transaction. A refused or failed upload leaves no file and no row behind.
 */
@Injectable()
export class PhotoUploadService {
  private readonly logger = new Logger(PhotoUploadService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly photos: PhotosRepository,
    private readonly brands: BrandsService,
    private readonly storage: StorageDriver,
    private readonly events: EventLog,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async upload(viewer: Viewer, input: UploadPhotoInput, client: ClientInfo): Promise<PhotoRecord> {
    const caption = normalizeCaption(input.caption);
    const idempotencyKey = normalizeIdempotencyKey(input.idempotencyKey);
    if (idempotencyKey) {
      // A retry: the first photo, and nothing of this request's file is read or kept.
      const earlier = await this.photos.findByIdempotencyKey(this.dataSource.manager, viewer.id, idempotencyKey);
      if (earlier) return earlier;
    }
    const brand = await this.brands.findBySlug(input.brandSlug);
    if (!brand) throw DomainError.notFound(`The brand "${input.brandSlug}"`);

    const received = await receiveUpload(input.file, { maxBytes: this.config.uploads.maxBytes, dir: os.tmpdir() });
    try {
      const image = await probeImage(received.path, this.config.uploads);
      const originalKey = `originals/${randomUUID()}.${EXTENSIONS[image.format]}`;
      await this.storage.put(originalKey, createReadStream(received.path), {
        contentType: CONTENT_TYPES[image.format],
      });
      try {
        const photoId = randomUUID();
        const photo = await inTransaction(this.dataSource, async (manager) => {
          const uploadEventId = await this.events.record(manager, {
            action: 'photo.uploaded',
            actorId: viewer.id,
            brandId: brand.id,
            targetType: 'photo',
            targetId: photoId,
            networkFingerprint: client.ip,
            deviceFingerprint: client.deviceId,
            meta: { format: image.format, bytes: received.bytes, width: image.width, height: image.height },
          });
          const inserted = await this.photos.insert(manager, {
            id: photoId,
            ownerId: viewer.id,
            brandId: brand.id,
            caption,
            idempotencyKey,
            uploadEventId,
            originalKey,
            originalFormat: image.format,
            originalBytes: received.bytes,
            sha256: received.sha256,
            width: image.width,
            height: image.height,
          });
          // A concurrent request with the same key won: roll back this one's event.
          if (!inserted) throw new LostIdempotencyRace();
          await this.jobs.enqueue('photo.process', { photoId: inserted.id }, { manager });
          return inserted;
        });
        this.logger.log(`Photo ${photo.id} uploaded by ${viewer.id} to ${brand.slug} (${received.bytes} bytes)`);
        return photo;
      } catch (error) {
        await this.storage.delete(originalKey).catch((cleanup: unknown) => {
          this.logger.warn(`Could not delete the original ${originalKey}: ${(cleanup as Error).message}`);
        });
        if (error instanceof LostIdempotencyRace && idempotencyKey) {
          const winner = await this.photos.findByIdempotencyKey(this.dataSource.manager, viewer.id, idempotencyKey);
          if (winner) return winner;
        }
        throw error;
      }
    } finally {
      await received.dispose();
    }
  }
}

class LostIdempotencyRace extends Error {}

function normalizeCaption(caption: string | null | undefined): string | null {
  const trimmed = caption?.trim() ?? '';
  if (trimmed.length > CAPTION_MAX_LENGTH) {
    throw DomainError.badInput(`A caption may have at most ${CAPTION_MAX_LENGTH} characters.`, [
      { field: 'caption', message: `at most ${CAPTION_MAX_LENGTH} characters` },
    ]);
  }
  return trimmed || null;
}

function normalizeIdempotencyKey(key: string | null | undefined): string | null {
  if (key === null || key === undefined) return null;
  if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw DomainError.badInput(
      `An idempotency key is 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters without spaces (a UUID is ideal).`,
      [{ field: 'idempotencyKey', message: `1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} printable characters` }],
    );
  }
  return key;
}
