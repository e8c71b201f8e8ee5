/**
 * Photo ingest: photos per second through the product's path for an upload (validate with probeImage,
 * ImagePipeline.process, SHA-256 of the original, the original and both renditions stored through
 * LocalStorageDriver) against bare sharp doing the same transforms and writing the same files with fs,
 * on distinct 12-megapixel JPEGs. A third line shows the sharp layout the pipeline avoids: one decode
 * per output (clone()) instead of one decode to display size.
 *
 *   npm run bench -- ingest      # this benchmark only
 *   BENCH_PHOTOS=8 BENCH_ROUNDS=3 BENCH_IN_FLIGHT=2 npm run bench -- ingest
 *
 * Never part of `npm test`. Record results in docs/benchmarks.md.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp, { type ResizeOptions, type Sharp } from 'sharp';
import { loadConfig } from '@boardroom/core';
import {
  DISPLAY_MAX_SIDE,
  HASH_SAMPLE_SIDE,
  ImagePipeline,
  LocalStorageDriver,
  MediaUrlSigner,
  THUMBNAIL_MAX_SIDE,
  WEBP_OPTIONS,
  probeImage,
  type ImageLimits,
} from '@boardroom/media';
import { photoScene } from '../test/fixtures/make-fixtures.js';

const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Photos processed at once, as a worker's concurrent jobs would: one per core by default. */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? os.availableParallelism());

/** Ingests one photo file into the folder of its round. */
type Ingest = (file: string, folder: string) => Promise<void>;

function withinSide(side: number): ResizeOptions {
  return { width: side, height: side, fit: 'inside', withoutEnlargement: true };
}

function productIngest(storageRoot: string, limits: ImageLimits): Ingest {
  const pipeline = new ImagePipeline();
  const storage = new LocalStorageDriver(storageRoot, {
    publicBase: 'http://127.0.0.1',
    signer: new MediaUrlSigner(randomBytes(32)),
    defaultExpiresInSeconds: 3600,
  });
  return async (file, folder) => {
    await probeImage(file, limits);
    const original = await readFile(file);
    const sha256 = createHash('sha256').update(original).digest('hex');
    const prefix = `${folder}/${sha256}`;
    const [image] = await Promise.all([
      pipeline.process(original),
      storage.put(`${prefix}/original.jpg`, original, { contentType: 'image/jpeg' }),
    ]);
    await Promise.all([
      storage.put(`${prefix}/display.webp`, image.display.bytes, { contentType: image.display.contentType }),
      storage.put(`${prefix}/thumbnail.webp`, image.thumbnail.bytes, { contentType: image.thumbnail.contentType }),
    ]);
  };
}

const hashSample = (image: Sharp) =>
  image.greyscale().resize(HASH_SAMPLE_SIDE, HASH_SAMPLE_SIDE, { fit: 'fill' }).raw().toBuffer();

async function writeFiles(folder: string, original: Buffer, display: Buffer, thumbnail: Buffer): Promise<void> {
  await mkdir(folder, { recursive: true });
  await Promise.all([
    writeFile(path.join(folder, 'original.jpg'), original),
    writeFile(path.join(folder, 'display.webp'), display),
    writeFile(path.join(folder, 'thumbnail.webp'), thumbnail),
  ]);
}

/** Bare sharp in the pipeline's layout: one decode to display size, every output from those pixels. */
function bareSharpIngest(root: string): Ingest {
  return async (file, folder) => {
    const original = await readFile(file);
    const { data, info } = await sharp(original)
      .autoOrient()
      .resize(withinSide(DISPLAY_MAX_SIDE))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixels = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
    const [display, thumbnail] = await Promise.all([
      pixels.clone().webp(WEBP_OPTIONS).toBuffer(),
      pixels.clone().resize(withinSide(THUMBNAIL_MAX_SIDE)).webp(WEBP_OPTIONS).toBuffer(),
      hashSample(pixels.clone()),
    ]);
    await writeFiles(path.join(root, folder, path.basename(file, '.jpg')), original, display, thumbnail);
  };
}

/** Bare sharp with one pipeline per output from the original: each clone decodes the JPEG again. */
function bareSharpClonesIngest(root: string): Ingest {
  return async (file, folder) => {
    const original = await readFile(file);
    const oriented = sharp(original).autoOrient();
    const [display, thumbnail] = await Promise.all([
      oriented.clone().resize(withinSide(DISPLAY_MAX_SIDE)).webp(WEBP_OPTIONS).toBuffer(),
      oriented.clone().resize(withinSide(THUMBNAIL_MAX_SIDE)).webp(WEBP_OPTIONS).toBuffer(),
      hashSample(oriented.clone()),
    ]);
    await writeFiles(path.join(root, folder, path.basename(file, '.jpg')), original, display, thumbnail);
  };
}

interface Timing {
  seconds: number;
  /** CPU time of this process (its libvips threads included): what a busy machine does not inflate. */
  cpuSeconds: number;
}

/** Ingests every file, IN_FLIGHT at a time. */
async function timeRound(ingest: Ingest, files: string[], folder: string): Promise<Timing> {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < files.length; i = next++) await ingest(files[i]!, folder);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const { user, system } = process.cpuUsage(cpu);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (user + system) / 1e6 };
}

async function makeInputs(dir: string): Promise<string[]> {
  await mkdir(dir);
  const files: string[] = [];
  for (let seed = 1; seed <= PHOTOS; seed++) {
    const file = path.join(dir, `photo-${seed}.jpg`);
    await (await photoScene(4000, 3000, seed)).jpeg({ quality: 90 }).toFile(file);
    files.push(file);
  }
  return files;
}

export async function benchIngest(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-bench-ingest-'));
  try {
    const files = await makeInputs(path.join(dir, 'inputs'));
    const megabytes = (await Promise.all(files.map((file) => readFile(file)))).reduce((sum, b) => sum + b.length, 0);
    console.log(
      `\nphoto ingest: ${PHOTOS} distinct 4000×3000 JPEGs (${(megabytes / PHOTOS / 1e6).toFixed(1)} MB each), ` +
        `${ROUNDS} rounds, ${IN_FLIGHT} in flight; nproc ${os.availableParallelism()}, sharp.concurrency() ${sharp.concurrency()}, ` +
        `sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}`,
    );

    const variants: [name: string, ingest: Ingest][] = [
      ['product (probe, pipeline, SHA-256, storage)', productIngest(path.join(dir, 'product'), loadConfig({}).uploads)],
      ['bare sharp + fs, same layout', bareSharpIngest(path.join(dir, 'bare'))],
      ['bare sharp + fs, one decode per output', bareSharpClonesIngest(path.join(dir, 'clones'))],
    ];
    await Promise.all(variants.map(([, ingest]) => ingest(files[0]!, 'warm-up')));
    const totals = variants.map(() => ({ seconds: 0, cpuSeconds: 0 }));
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts with another variant, so none always runs first on a cold cache or a busy machine.
      for (let k = 0; k < variants.length; k++) {
        const v = (round + k) % variants.length;
        const timing = await timeRound(variants[v]![1], files, `round-${round}`);
        totals[v]!.seconds += timing.seconds;
        totals[v]!.cpuSeconds += timing.cpuSeconds;
      }
    }

    const photos = PHOTOS * ROUNDS;
    const rate = (v: number) => photos / totals[v]!.seconds;
    const cpuMs = (v: number) => (totals[v]!.cpuSeconds * 1000) / photos;
    console.log(`${'benchmark'.padEnd(44)} ${'photos/s'.padStart(10)} ${'CPU ms/photo'.padStart(13)}`);
    variants.forEach(([name], v) =>
      console.log(`${name.padEnd(44)} ${rate(v).toFixed(2).padStart(10)} ${cpuMs(v).toFixed(0).padStart(13)}`),
    );
    console.log(
      `ratio product / bare sharp (same layout): ${(rate(0) / rate(1)).toFixed(2)} in photos/s, ` +
        `${(cpuMs(1) / cpuMs(0)).toFixed(2)} in CPU time`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
