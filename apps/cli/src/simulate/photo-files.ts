import { Readable } from 'node:stream';
import sharp from 'sharp';
import type { FileUpload } from 'graphql-upload/Upload.mjs';
import { syntheticSceneSvg } from '@boardroom/media';
import type { PhotoVariant } from './world-plan.js';

/**
 * Small on purpose, for speed: 384×288 is about the smallest scene whose resized (to 70 %) and cropped
 * copies still pass the uploads' minimum side (UPLOAD_MIN_SIDE, 200 px by default).
 */
export const SCENE_WIDTH = 384;
export const SCENE_HEIGHT = 288;

/** The JPEG a planned photo uploads: its scene, changed as its variant says. Deterministic (no grain). */
export async function renderPhoto(scene: number, variant: PhotoVariant): Promise<Buffer> {
  const original = await sharp(Buffer.from(syntheticSceneSvg(SCENE_WIDTH, SCENE_HEIGHT, scene)))
    .jpeg({ quality: 90 })
    .toBuffer();
  switch (variant.kind) {
    case 'original':
      return original;
    case 'reencode':
      return sharp(original).jpeg({ quality: variant.quality }).toBuffer();
    case 'resize':
      return sharp(original)
        .resize(Math.round(SCENE_WIDTH * variant.scale), Math.round(SCENE_HEIGHT * variant.scale))
        .jpeg({ quality: 80 })
        .toBuffer();
    case 'crop': {
      const width = Math.round(SCENE_WIDTH * variant.keep);
      const height = Math.round(SCENE_HEIGHT * variant.keep);
      const left = Math.floor((SCENE_WIDTH - width) / 2);
      const top = Math.floor((SCENE_HEIGHT - height) / 2);
      return sharp(original).extract({ left, top, width, height }).jpeg({ quality: 85 }).toBuffer();
    }
  }
}

/** The bytes as the upload service receives a multipart file. */
export function asFileUpload(bytes: Buffer, filename: string): Promise<FileUpload> {
  return Promise.resolve({
    filename,
    mimetype: 'image/jpeg',
    encoding: '7bit',
    createReadStream: () => Readable.from([bytes]),
  });
}
