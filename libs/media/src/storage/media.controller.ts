import { pipeline } from 'node:stream/promises';

import { Controller, ForbiddenException, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';

import { LocalStorageDriver } from './local-storage.driver.js';
import { StorageDriver } from './storage-driver.js';
import { StorageObjectNotFoundError } from './storage-errors.js';

const CONTENT_TYPES: Record<string, string> = {
  webp: 'image/webp',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  avif: 'image/avif',
};

function contentTypeOf(key: string): string {
  const extension = /\.([^./]+)$/.exec(key)?.[1]?.toLowerCase() ?? '';
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

/**
 * Serves locally stored objects at the signed URLs the local driver gives
 * (`/media/<key>?expires=…&signature=…`). With S3 storage every URL points at
 * S3, so nothing is served here.
 */
@Controller('media')
export class MediaController {
  constructor(private readonly storage: StorageDriver) {}

  /** Express answers HEAD through this handler too, without the body. */
  @Get('*key')
  async serve(
    @Param('key') segments: string[],
    @Query('expires') expires: unknown,
    @Query('signature') signature: unknown,
    @Res() res: Response,
  ): Promise<void> {
    if (!(this.storage instanceof LocalStorageDriver)) throw new NotFoundException();
    const key = segments.join('/');
    const check = this.storage.checkUrl(key, expires, signature);
    if (check === 'expired') throw new ForbiddenException('This media URL has expired.');
    if (check === 'invalid') throw new ForbiddenException('This media URL is not valid.');

    let object;
    try {
      object = await this.storage.open(key);
    } catch (error) {
      if (error instanceof StorageObjectNotFoundError) throw new NotFoundException('No such media.');
      throw error;
    }
    // A valid check means `expires` is a whole number of seconds, still ahead.
    const secondsLeft = Math.max(0, Number(expires) - Math.floor(Date.now() / 1000));
    res.set({
      'Content-Type': contentTypeOf(key),
      'Content-Length': String(object.bytes),
      // private: a shared cache must not serve it to someone whose URL has expired.
      'Cache-Control': `private, max-age=${secondsLeft}`,
      'Content-Disposition': 'inline',
      // Stored bytes are served as what the extension says and nothing else: no sniffing, no scripts.
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
    try {
      await pipeline(object.body, res);
    } catch (error) {
      // A client that stops reading (a cancelled image load) is no fault of ours.
      if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    }
  }
}
