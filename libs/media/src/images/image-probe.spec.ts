import { closeSync, openSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DomainError } from '@boardroom/core';
import sharp from 'sharp';
import { makeFixtures, type ImageFixtures } from '../../../../test/fixtures/make-fixtures.js';
import { FileByteSource, MemoryByteSource } from './byte-source.js';
import { detectImageFormat, hasCompleteStructure, type ImageFormat } from './image-format.js';
import { MAX_INPUT_PIXELS, probeImage, SHARP_INPUT_OPTIONS } from './image-probe.js';

const LIMITS = { maxPixels: 40_000_000, minSide: 200 };

/** An ISO-BMFF `ftyp` box with the given major and compatible brands, followed by an empty `meta` box. */
function ftyp(major: string, compatible: string[]): Buffer {
  const size = 16 + 4 * compatible.length;
  const box = Buffer.alloc(size);
  box.writeUInt32BE(size, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(major, 8, 'latin1');
  compatible.forEach((brand, i) => box.write(brand, 16 + 4 * i, 'latin1'));
  return Buffer.concat([box, Buffer.from([0, 0, 0, 8, 0x6d, 0x65, 0x74, 0x61])]);
}

/** A photo-like (incompressible) image, so a JPEG of it is as large as a camera's. */
function noisyPhoto(width: number, height: number) {
  // sharp's types require a background; with noise it is not drawn.
  const noise = { type: 'gaussian', mean: 128, sigma: 50 } as const;
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise } });
}

let dir: string;
let fixtures: ImageFixtures;
/** 640×480, progressive: ten scans, each with its own entropy-coded data. */
let progressiveJpeg: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'boardroom-images-'));
  fixtures = await makeFixtures(dir);
  progressiveJpeg = path.join(dir, 'progressive.jpg');
  await noisyPhoto(640, 480).jpeg({ quality: 90, progressive: true }).toFile(progressiveJpeg);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('detectImageFormat', () => {
  it.each(
    [
      ['JPEG', [0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'jpeg'],
      ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 'png'],
      ['WebP', [...Buffer.from('RIFF'), 0x24, 0, 0, 0, ...Buffer.from('WEBPVP8 ')], 'webp'],
      ['GIF', [...Buffer.from('GIF89a'), 1, 0, 1, 0], null],
      ['SVG', [...Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">')], null],
      ['text', [...Buffer.from('hello, this is text')], null],
      ['nothing', [], null],
      ['a JPEG cut after two bytes', [0xff, 0xd8], null],
      ['a PNG signature with one byte wrong', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x00], null],
      ['RIFF that is WAVE audio', [...Buffer.from('RIFF'), 0x24, 0, 0, 0, ...Buffer.from('WAVEfmt ')], null],
    ].map(([name, bytes, expected]) => ({ name, bytes: bytes as number[], expected })),
  )('$name → $expected', ({ bytes, expected }) => {
    expect(detectImageFormat(Uint8Array.from(bytes))).toBe(expected);
  });

  it.each(
    [
      ['AVIF as major brand', ftyp('avif', ['mif1', 'miaf']), 'avif'],
      ['AVIF sequence (avis)', ftyp('avis', ['msf1', 'avif']), 'avif'],
      ['AVIF only as a compatible brand', ftyp('mif1', ['miaf', 'avif']), 'avif'],
      ['HEIC', ftyp('heic', ['mif1', 'heic']), null],
      ['HEIC (heix)', ftyp('heix', ['mif1', 'heix']), null],
      ['bare mif1 (HEIF)', ftyp('mif1', ['mif1']), null],
      ['MP4 video', ftyp('isom', ['isom', 'iso2', 'mp41']), null],
    ].map(([name, bytes, expected]) => ({ name, bytes: bytes as Buffer, expected })),
  )('ISO-BMFF $name → $expected', ({ bytes, expected }) => {
    expect(detectImageFormat(bytes)).toBe(expected);
  });

  it('does not read an AVIF brand beyond the ftyp box', () => {
    const bytes = ftyp('mif1', ['miaf']);
    bytes.write('avif', 16 + 4 + 4, 'latin1'); // inside the following meta box
    expect(detectImageFormat(bytes)).toBeNull();
  });
});

describe('probeImage', () => {
  const probe = async (key: keyof ImageFixtures, limits = LIMITS) => probeImage(fixtures[key], limits);

  /** A copy of a fixture without its last `cut` bytes, as an upload cut off in transit. */
  async function truncatedCopy(key: keyof ImageFixtures, cut: number): Promise<string> {
    const copy = path.join(dir, `truncated-${key}`);
    await copyFile(fixtures[key], copy);
    await truncate(copy, (await stat(copy)).size - cut);
    return copy;
  }

  it('keeps all sharp options for untrusted input in one constant', () => {
    expect(SHARP_INPUT_OPTIONS).toEqual({
      failOn: 'error',
      limitInputPixels: MAX_INPUT_PIXELS,
      sequentialRead: true,
      animated: false,
    });
  });

  it('reads a JPEG with EXIF orientation 6 as displayed: 900×1200', async () => {
    const stored = await sharp(await readFile(fixtures.jpegRotatedWithGps)).metadata();
    expect([stored.width, stored.height, stored.orientation]).toEqual([1200, 900, 6]);
    // The GPS IFD pointer tag 0x8825, in the EXIF block's byte order (II: little-endian, MM: big-endian).
    const gpsTag = stored.exif?.includes('II*', 6) ? [0x25, 0x88] : [0x88, 0x25];
    expect(stored.exif?.includes(Buffer.from(gpsTag))).toBe(true);
    await expect(probe('jpegRotatedWithGps')).resolves.toEqual({ format: 'jpeg', width: 900, height: 1200 });
  });

  it.each([
    ['png800x600', { format: 'png', width: 800, height: 600 }],
    ['webp640x480', { format: 'webp', width: 640, height: 480 }],
    ['avif640x480', { format: 'avif', width: 640, height: 480 }],
    // The HTML after the JPEG's end is ignored here and dropped when the image is re-encoded.
    ['jpegWithHtml', { format: 'jpeg', width: 900, height: 1200 }],
  ] as const)('reads %s', async (key, expected) => {
    await expect(probe(key)).resolves.toEqual(expected);
  });

  it.each(['textNamedJpg', 'svgWithScript', 'empty', 'gif'] as const)(
    'refuses %s as UNSUPPORTED_MEDIA_TYPE, naming the accepted formats',
    async (key) => {
      const error = await refusal(probe(key));
      expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(error.message).toBe('This file is not a supported image. Upload a JPEG, PNG, WebP or AVIF image.');
    },
  );

  it('refuses a truncated JPEG as damaged, saying what to do', async () => {
    const error = await refusal(probe('jpegTruncated'));
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toMatch(/damaged or incomplete.*Save or export it again/);
  });

  it.each([
    ['PNG', 'png800x600'],
    ['WebP', 'webp640x480'],
    ['AVIF', 'avif640x480'],
  ] as const)('refuses a truncated %s as damaged', async (_name, key) => {
    const error = await refusal(probeImage(await truncatedCopy(key, 10), LIMITS));
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toMatch(/damaged or incomplete/);
  });

  it('refuses an image below the minimum side as BAD_USER_INPUT', async () => {
    const error = await refusal(probe('jpegTooSmall'));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe(
      'The image is 100×100 pixels; it must be at least 200 pixels on each side. Upload a larger image.',
    );
  });

  it('refuses more pixels than the caller allows, with dimensions, as PAYLOAD_TOO_LARGE', async () => {
    const error = await refusal(probe('png800x600', { maxPixels: 400_000, minSide: 1 }));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toBe(
      'The image is 800×600 pixels; it may have at most 0.4 megapixels. Scale it down and upload it again.',
    );
  });

  it('never allows more than MAX_INPUT_PIXELS, whatever the caller asks', async () => {
    const error = await refusal(probe('pngBomb', { maxPixels: 1e12, minSide: 1 }));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toMatch(/at most 40 megapixels/);
  });

  it('refuses a 20000×20000 PNG bomb from its header: fast and without decoding', async () => {
    expect((await stat(fixtures.pngBomb)).size).toBeLessThan(100_000);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();

    const error = await refusal(probeImage(fixtures.pngBomb, LIMITS));

    const elapsedMs = performance.now() - started;
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toBe('The image may have at most 40 megapixels. Scale it down and upload it again.');
    expect(elapsedMs).toBeLessThan(1000);
    expect(rssGrowth).toBeLessThan(100 * 1024 * 1024); // decoding would need 400 MB or more
  });
});

describe('probeImage on large photos', () => {
  /** 4000×3000 (12 megapixels), baseline, about 11 MB: near the 15 MB upload limit. */
  let largeJpeg: string;

  beforeAll(async () => {
    largeJpeg = path.join(dir, 'large-12mp.jpg');
    await noisyPhoto(4000, 3000).jpeg({ quality: 96 }).toFile(largeJpeg);
  });

  it('validates a 12-megapixel JPEG of about 11 MB in milliseconds, holding only a window of it', async () => {
    const { size } = await stat(largeJpeg);
    expect(size).toBeGreaterThan(10_000_000);
    const before = process.memoryUsage();
    const started = performance.now();

    const probed = await probeImage(largeJpeg, LIMITS);

    const elapsedMs = performance.now() - started;
    const after = process.memoryUsage();
    expect(probed).toEqual({ format: 'jpeg', width: 4000, height: 3000 });
    expect(elapsedMs).toBeLessThan(500); // tens of milliseconds on a laptop; loose for busy CI machines
    // Reading the file whole would add its size to both; one 64 KiB window is noise.
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(size / 10);
    expect(after.rss - before.rss).toBeLessThan(size / 2);
  });

  it('refuses the large JPEG cut off inside its entropy-coded data', async () => {
    const cut = path.join(dir, 'large-12mp-cut.jpg');
    await copyFile(largeJpeg, cut);
    await truncate(cut, Math.floor((await stat(largeJpeg)).size * 0.9));
    const error = await refusal(probeImage(cut, LIMITS));
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toMatch(/damaged or incomplete/);
  });

  it('reads a progressive JPEG, walking each of its scans', async () => {
    expect((await sharp(progressiveJpeg).metadata()).isProgressive).toBe(true);
    await expect(probeImage(progressiveJpeg, LIMITS)).resolves.toEqual({ format: 'jpeg', width: 640, height: 480 });
  });
});

/** A minimal JPEG whose entropy-coded data holds a stuffed byte (FF 00) and a restart marker (FF D0). */
const JPEG_WITH_STUFFING_AND_RESTART = Buffer.from([
  0xff, 0xd8, 0xff, 0xda, 0x00, 0x04, 0x01, 0x02, 0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xd9,
]);

describe('hasCompleteStructure', () => {
  const inMemory = (bytes: Uint8Array) => new MemoryByteSource(bytes);

  it('accepts a JPEG whose entropy data contains stuffed bytes and restart markers', () => {
    const jpeg = JPEG_WITH_STUFFING_AND_RESTART;
    expect(hasCompleteStructure('jpeg', inMemory(jpeg))).toBe(true);
    expect(hasCompleteStructure('jpeg', inMemory(jpeg.subarray(0, jpeg.length - 2)))).toBe(false);
  });

  it('refuses a PNG chunk that claims more bytes than the file has', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xff, 0xff, 0xff, 0x49, 0x44]);
    expect(hasCompleteStructure('png', inMemory(png))).toBe(false);
  });

  /**
   * Every file, whole and cut short, walked through file windows so small that segments, chunks, stuffed
   * bytes and markers straddle window edges: the answer must not depend on where a window ends.
   */
  it('gives the same answer through a file window of any size as in memory', async () => {
    const handBuilt = path.join(dir, 'stuffing-and-restart.jpg');
    await writeFile(handBuilt, JPEG_WITH_STUFFING_AND_RESTART);
    const files: [ImageFormat, string][] = [
      ['jpeg', handBuilt],
      ['jpeg', fixtures.jpegRotatedWithGps],
      ['jpeg', progressiveJpeg],
      ['png', fixtures.png800x600],
      ['webp', fixtures.webp640x480],
      ['avif', fixtures.avif640x480],
    ];
    for (const [format, file] of files) {
      const bytes = await readFile(file);
      const fd = openSync(file, 'r');
      try {
        for (const length of [bytes.length, bytes.length - 1, bytes.length - 9, Math.floor(bytes.length / 2)]) {
          const expected = length === bytes.length;
          expect(hasCompleteStructure(format, inMemory(bytes.subarray(0, length)))).toBe(expected);
          for (const windowSize of [3, 7, 509, 65_536]) {
            // A source shorter than the file stands for the same file cut off after `length` bytes.
            const walked = hasCompleteStructure(format, new FileByteSource(fd, length, windowSize));
            expect({ file, length, windowSize, walked }).toEqual({ file, length, windowSize, walked: expected });
          }
        }
      } finally {
        closeSync(fd);
      }
    }
  });
});
