import { Injectable } from '@nestjs/common';
import sharp, { type ResizeOptions, type Sharp } from 'sharp';
import { SHARP_INPUT_OPTIONS } from './image-probe.js';
import { perceptualHash } from './perceptual-hash.js';

export interface Rendition {
  bytes: Buffer;
  width: number;
  height: number;
  contentType: 'image/webp';
}

export interface ProcessedImage {
  /** WebP, longest side at most 1600 px (never enlarged). */
  display: Rendition;
  /** WebP, longest side at most 320 px (never enlarged). */
  thumbnail: Rendition;
  /** Dimensions of the original as displayed (after EXIF orientation). */
  width: number;
  height: number;
  /** 64-bit perceptual hash as a SIGNED 64-bit bigint (BigInt.asIntN(64, …)) so it fits PostgreSQL bigint. */
  perceptualHash: bigint;
}

export const DISPLAY_MAX_SIDE = 1600;
export const THUMBNAIL_MAX_SIDE = 320;

/**
 * Effort 2 encodes about twice as fast as sharp's default 4, for files about 2.5 % larger at the same
 * quality (docs/benchmarks.md, 2026-12-02); the WebP encode is most of a photo's processing time.
 */
export const WEBP_OPTIONS = { quality: 80, effort: 2 } as const;

function withinSide(side: number): ResizeOptions {
  return { width: side, height: side, fit: 'inside', withoutEnlargement: true };
}

async function encodeWebp(image: Sharp): Promise<Rendition> {
  const { data, info } = await image.webp(WEBP_OPTIONS).toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height, contentType: 'image/webp' };
}

/**
 * Turns a validated upload into what the product shows: oriented by its EXIF, in sRGB, without any of
 * its metadata (sharp writes none unless asked), re-encoded, which also drops anything appended to the
 * file (a JPEG+HTML polyglot keeps no byte of its HTML).
 */
@Injectable()
export class ImagePipeline {
  /** @param input a file path or the bytes of an upload that probeImage accepted. */
  async process(input: string | Buffer): Promise<ProcessedImage> {
    const original = sharp(input, SHARP_INPUT_OPTIONS);
    const { autoOrient } = await original.metadata();

    // One decode, shrunk on load to the display size: every output is derived from these pixels, which
    // costs less than one decode per output (each clone of a sharp input decodes it again).
    const { data, info } = await original
      .autoOrient()
      .resize(withinSide(DISPLAY_MAX_SIDE))
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    // Our own decoded pixels, not user input: the input options have done their work above.
    const decoded = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });

    const [display, thumbnail, hash] = await Promise.all([
      encodeWebp(decoded.clone()),
      encodeWebp(decoded.clone().resize(withinSide(THUMBNAIL_MAX_SIDE))),
      perceptualHash(decoded.clone()),
    ]);
    return { display, thumbnail, width: autoOrient.width, height: autoOrient.height, perceptualHash: hash };
  }
}
