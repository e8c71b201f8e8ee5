import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { makeFixtures, type ImageFixtures } from '../../../../test/fixtures/make-fixtures.js';
import { ImagePipeline, type ProcessedImage, type Rendition } from './image-pipeline.js';
import { hammingDistance } from './perceptual-hash.js';

/** GAME.md's near-duplicate rule: at most this many of the 64 bits apart. */
const DUPLICATE_MAX_DISTANCE = 6;

const pipeline = new ImagePipeline();
const sizeOf = (rendition: Rendition) => [rendition.width, rendition.height];

describe('ImagePipeline', () => {
  let dir: string;
  let fixtures: ImageFixtures;
  let photoA: ProcessedImage;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'boardroom-pipeline-'));
    fixtures = await makeFixtures(dir);
    photoA = await pipeline.process(fixtures.photoA);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('turns a 1200×900 JPEG with EXIF orientation 6 upright: 900×1200', async () => {
    const image = await pipeline.process(fixtures.jpegRotatedWithGps);
    expect([image.width, image.height]).toEqual([900, 1200]);
    expect(sizeOf(image.display)).toEqual([900, 1200]);
    expect(sizeOf(image.thumbnail)).toEqual([240, 320]);
    const stored = await sharp(image.display.bytes).metadata();
    expect([stored.format, stored.width, stored.height, stored.orientation]).toEqual(['webp', 900, 1200, undefined]);
  });

  it('keeps no EXIF, GPS, XMP or ICC profile in either rendition', async () => {
    const source = await readFile(fixtures.jpegRotatedWithGps);
    const withEverything = await sharp(source)
      .withIccProfile('p3')
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>')
      .keepExif()
      .jpeg()
      .toBuffer();
    const original = await sharp(withEverything).metadata();
    expect([original.exif, original.xmp, original.icc].every(Boolean)).toBe(true);

    const image = await pipeline.process(withEverything);
    for (const rendition of [image.display, image.thumbnail]) {
      expect(rendition.contentType).toBe('image/webp');
      const metadata = await sharp(rendition.bytes).metadata();
      expect({ exif: metadata.exif, xmp: metadata.xmp, icc: metadata.icc }).toEqual({
        exif: undefined,
        xmp: undefined,
        icc: undefined,
      });
      expect(metadata.space).toBe('srgb');
    }
  });

  it('caps the display at 1600 px and the thumbnail at 320 px on the longest side', async () => {
    const large = await sharp({ create: { width: 4000, height: 2000, channels: 3, background: '#3a6ea5' } })
      .jpeg()
      .toBuffer();
    const image = await pipeline.process(large);
    expect([image.width, image.height]).toEqual([4000, 2000]);
    expect(sizeOf(image.display)).toEqual([1600, 800]);
    expect(sizeOf(image.thumbnail)).toEqual([320, 160]);
  });

  it('never enlarges a small image', async () => {
    const image = await pipeline.process(fixtures.webp640x480);
    expect(sizeOf(image.display)).toEqual([640, 480]);
    expect(sizeOf(image.thumbnail)).toEqual([320, 240]);

    const tiny = await pipeline.process(fixtures.jpegTooSmall);
    expect(sizeOf(tiny.display)).toEqual([100, 100]);
    expect(sizeOf(tiny.thumbnail)).toEqual([100, 100]);
  });

  it('drops the HTML appended to a JPEG (a polyglot): no byte of it is in a rendition', async () => {
    const polyglot = await readFile(fixtures.jpegWithHtml);
    expect(polyglot.includes('<script>')).toBe(true);

    const image = await pipeline.process(polyglot);
    for (const rendition of [image.display, image.thumbnail]) {
      for (const needle of ['<html', '<script', 'alert(', 'document.cookie']) {
        expect(rendition.bytes.includes(needle)).toBe(false);
      }
    }
  });

  it.each([
    ['PNG', 'png800x600', [800, 600]],
    ['AVIF', 'avif640x480', [640, 480]],
  ] as const)('reads a %s', async (_name, key, size) => {
    const image = await pipeline.process(fixtures[key]);
    expect([image.width, image.height]).toEqual(size);
    expect(sizeOf(image.display)).toEqual(size);
  });

  it.each([
    ['greyscale', (image: Sharp) => image.greyscale()],
    ['CMYK', (image: Sharp) => image.toColourspace('cmyk')],
  ])('converts a %s JPEG to sRGB', async (_name, convert) => {
    const jpeg = await convert(sharp(fixtures.photoB)).jpeg().toBuffer();
    const processed = await pipeline.process(jpeg);
    const metadata = await sharp(processed.display.bytes).metadata();
    expect([metadata.space, metadata.channels]).toEqual(['srgb', 3]);
  });

  it('keeps transparency in both renditions', async () => {
    const png = await sharp({ create: { width: 400, height: 300, channels: 4, background: '#3a6ea580' } })
      .png()
      .toBuffer();
    const image = await pipeline.process(png);
    for (const rendition of [image.display, image.thumbnail]) {
      expect((await sharp(rendition.bytes).metadata()).hasAlpha).toBe(true);
    }
  });

  it('hashes a re-encoded, slightly smaller copy within the duplicate distance of its original', async () => {
    const copy = await pipeline.process(fixtures.photoACopy);
    expect(hammingDistance(copy.perceptualHash, photoA.perceptualHash)).toBeLessThanOrEqual(DUPLICATE_MAX_DISTANCE);
  });

  it('hashes two different photos far apart', async () => {
    const photoB = await pipeline.process(fixtures.photoB);
    expect(hammingDistance(photoB.perceptualHash, photoA.perceptualHash)).toBeGreaterThan(15);
  });

  it('hashes a copy stored sideways with EXIF orientation 6 like its upright original', async () => {
    // Orientation 6 means "turn 90° clockwise to display": store the pixels turned the other way.
    const sideways = await sharp(fixtures.photoA).rotate(270).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect((await sharp(sideways).metadata()).orientation).toBe(6);

    const image = await pipeline.process(sideways);
    expect([image.width, image.height]).toEqual([photoA.width, photoA.height]);
    expect(hammingDistance(image.perceptualHash, photoA.perceptualHash)).toBeLessThanOrEqual(2);
  });

  it('reads a file path and the same bytes alike', async () => {
    const fromBytes = await pipeline.process(await readFile(fixtures.photoA));
    expect(fromBytes.perceptualHash).toBe(photoA.perceptualHash);
    expect(fromBytes.display.bytes.equals(photoA.display.bytes)).toBe(true);
  });

  it('refuses a damaged file', async () => {
    await expect(pipeline.process(await readFile(fixtures.jpegTruncated))).rejects.toThrow();
  });
});
