import sharp from 'sharp';
import {
  hammingDistance,
  HASH_SAMPLE_SIDE,
  lowFrequencies,
  perceptualHash,
  perceptualHashOfPixels,
} from './perceptual-hash.js';

const SIDE = HASH_SAMPLE_SIDE;

function square(pixel: (x: number, y: number) => number): Uint8Array {
  return Uint8Array.from({ length: SIDE * SIDE }, (_, i) => pixel(i % SIDE, Math.floor(i / SIDE)));
}

/** The textbook 2-D DCT-II, term by term: what the separable version must equal. */
function naiveDct(pixels: Uint8Array, u: number, v: number): number {
  let sum = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      sum +=
        pixels[y * SIDE + x]! *
        Math.cos((Math.PI * (2 * y + 1) * u) / (2 * SIDE)) *
        Math.cos((Math.PI * (2 * x + 1) * v) / (2 * SIDE));
    }
  }
  return sum;
}

describe('lowFrequencies', () => {
  it('equals the 2-D DCT-II term by term on the 8×8 lowest frequencies', () => {
    const pixels = square((x, y) => (x * 37 + y * y * 11 + ((x * y) % 7) * 19) % 256);
    const block = lowFrequencies(pixels);
    for (let u = 0; u < 8; u++) {
      for (let v = 0; v < 8; v++) expect(block[u * 8 + v]).toBeCloseTo(naiveDct(pixels, u, v), 6);
    }
  });

  it('refuses anything but 32×32 single-byte pixels', () => {
    expect(() => lowFrequencies(new Uint8Array(32 * 32 * 3))).toThrow(RangeError);
  });
});

describe('perceptualHashOfPixels', () => {
  it('sets the bits of the coefficients above the median: half of them', () => {
    const pixels = square((x, y) => (x * 13 + y * 29 + ((x ^ y) & 15) * 5) % 256);
    const hash = perceptualHashOfPixels(pixels);
    expect(hammingDistance(hash, 0n)).toBe(32);
  });

  it('puts the DC coefficient in the most significant bit: set for any picture, so every hash is negative', () => {
    // No coefficient can exceed the DC term (the sum of the pixels, as |cos| ≤ 1), so it is above the median.
    expect(perceptualHashOfPixels(square((x, y) => (x * y) % 256))).toBeLessThan(0n);
    expect(perceptualHashOfPixels(square((x) => 255 - x * 8))).toBeLessThan(0n);
  });

  it('is a signed 64-bit value', () => {
    for (const seed of [1, 2, 3]) {
      const hash = perceptualHashOfPixels(square((x, y) => (x * seed * 31 + y * 17 * seed) % 256));
      expect(BigInt.asIntN(64, hash)).toBe(hash);
    }
  });

  it('tells a horizontal gradient from a vertical one', () => {
    const horizontal = perceptualHashOfPixels(square((x) => x * 8));
    const vertical = perceptualHashOfPixels(square((_x, y) => y * 8));
    expect(hammingDistance(horizontal, vertical)).toBeGreaterThan(0);
  });
});

describe('perceptualHash', () => {
  it('hashes an image with transparency as if on white', async () => {
    const transparent = sharp({ create: { width: 64, height: 64, channels: 4, background: '#00000000' } }).png();
    const white = sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } }).png();
    expect(await perceptualHash(transparent)).toBe(await perceptualHash(white));
  });
});

describe('hammingDistance', () => {
  it.each([
    [0n, 0n, 0],
    [0n, 1n, 1],
    [-1n, 0n, 64],
    [-(2n ** 63n), 2n ** 63n - 1n, 64],
    [BigInt.asIntN(64, 0xf0f0_f0f0_f0f0_f0f0n), BigInt.asIntN(64, 0x0ff0_f0f0_f0f0_f0f1n), 9],
  ])('%p and %p differ in %p bits', (a, b, expected) => {
    expect(hammingDistance(a, b)).toBe(expected);
    expect(hammingDistance(b, a)).toBe(expected);
  });
});
