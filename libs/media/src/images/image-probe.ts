import { open } from 'node:fs/promises';
import { DomainError } from '@boardroom/core';
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { FileByteSource } from './byte-source.js';
import { detectImageFormat, hasCompleteStructure, type ImageFormat } from './image-format.js';

/** The most pixels any decode of user input may have: 40 megapixels (e.g. 7746×5164). */
export const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Every sharp option for untrusted input, in one place; pass it to each `sharp(input, …)` call on uploads.
 * - `failOn: 'error'`: abort on corrupt pixel data instead of producing a half-grey image.
 * - `limitInputPixels`: refuse decompression bombs from their header, before any pixel is decoded.
 * - `sequentialRead`: stream the decode top to bottom, keeping memory near one strip of rows.
 * - `animated: false`: read only the first frame; a 1000-frame file costs no more than one image.
 */
export const SHARP_INPUT_OPTIONS = {
  failOn: 'error',
  limitInputPixels: MAX_INPUT_PIXELS,
  sequentialRead: true,
  animated: false,
} as const satisfies SharpOptions;

export interface ImageLimits {
  /** Width × height above which an image is refused (capped at MAX_INPUT_PIXELS). */
  maxPixels: number;
  /** The shortest side an image may have, in pixels. */
  minSide: number;
}

export interface ProbedImage {
  format: ImageFormat;
  /** Width as displayed, i.e. after the EXIF orientation is applied. */
  width: number;
  /** Height as displayed, i.e. after the EXIF orientation is applied. */
  height: number;
}

const ACCEPTED = 'Upload a JPEG, PNG, WebP or AVIF image.';

/** Enough of the file's start for every magic-byte check, including a few AVIF compatible brands. */
const HEAD_BYTES = 64;

/** The decoder name sharp reports for each format (AVIF is read by the HEIF decoder). */
const SHARP_FORMAT: Record<ImageFormat, string> = { jpeg: 'jpeg', png: 'png', webp: 'webp', avif: 'heif' };

function megapixels(pixels: number): string {
  return `${Math.round(pixels / 100_000) / 10}`;
}

function tooLarge(maxPixels: number, width?: number, height?: number): DomainError {
  const size = width !== undefined && height !== undefined ? `is ${width}×${height} pixels; it ` : '';
  return new DomainError(
    'PAYLOAD_TOO_LARGE',
    `The image ${size}may have at most ${megapixels(maxPixels)} megapixels. Scale it down and upload it again.`,
    { maxPixels },
  );
}

function damaged(): DomainError {
  return new DomainError(
    'UNSUPPORTED_MEDIA_TYPE',
    `The image file is damaged or incomplete (the upload may have been cut off). Save or export it again, then upload it. ${ACCEPTED}`,
  );
}

function notAnImage(): DomainError {
  return new DomainError('UNSUPPORTED_MEDIA_TYPE', `This file is not a supported image. ${ACCEPTED}`);
}

/**
 * The file's format by its magic bytes, once its container structure is known to be complete. Reads the
 * head, then walks the structure through one small window: the file is never in memory whole.
 */
async function readCompleteFormat(file: string): Promise<ImageFormat> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    const format = detectImageFormat(buffer.subarray(0, bytesRead));
    if (format === null) throw notAnImage();
    if (!hasCompleteStructure(format, new FileByteSource(handle.fd, size))) throw damaged();
    return format;
  } finally {
    await handle.close();
  }
}

/**
 * Identifies an uploaded file (a path) and reads its dimensions from the header alone: no pixel is
 * decoded, so a 20000×20000 bomb is refused in milliseconds, and memory stays small whatever the file's
 * size. Throws DomainError UNSUPPORTED_MEDIA_TYPE (not a supported image, or damaged), PAYLOAD_TOO_LARGE
 * (more than `maxPixels`) or BAD_USER_INPUT (a side below `minSide`).
 */
export async function probeImage(file: string, limits: ImageLimits): Promise<ProbedImage> {
  const format = await readCompleteFormat(file);

  const maxPixels = Math.min(limits.maxPixels, MAX_INPUT_PIXELS);
  let metadata: Metadata;
  try {
    metadata = await sharp(file, SHARP_INPUT_OPTIONS).metadata();
  } catch (error) {
    // sharp refuses more than SHARP_INPUT_OPTIONS.limitInputPixels from the header, before decoding.
    if (error instanceof Error && /pixel limit/i.test(error.message)) throw tooLarge(maxPixels);
    throw damaged();
  }
  if (metadata.format !== SHARP_FORMAT[format] || (format === 'avif' && metadata.compression !== 'av1')) {
    throw damaged();
  }

  const { width, height } = metadata.autoOrient;
  if (width * height > maxPixels) throw tooLarge(maxPixels, width, height);
  if (Math.min(width, height) < limits.minSide) {
    throw DomainError.badInput(
      `The image is ${width}×${height} pixels; it must be at least ${limits.minSide} pixels on each side. Upload a larger image.`,
    );
  }
  return { format, width, height };
}
