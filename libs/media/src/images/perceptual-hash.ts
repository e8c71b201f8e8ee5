import type { Sharp } from 'sharp';

/*
 * DCT perceptual hash (pHash), our own rather than `sharp-phash`: that package decodes its input itself,
 * which would be a second full decode of every upload outside our pipeline's options, while this one
 * hashes pixels the pipeline has already decoded and oriented.
 */

/** Side of the greyscale square the hash is computed from. */
export const HASH_SAMPLE_SIDE = 32;

/** Side of the block of lowest frequencies that makes the 64 bits. */
const LOW_FREQUENCIES = 8;

/** COSINES[k][n] = cos(π(2n + 1)k / 2N): DCT-II basis k at sample n, only for the frequencies kept. */
const COSINES = Array.from({ length: LOW_FREQUENCIES }, (_, k) =>
  Float64Array.from({ length: HASH_SAMPLE_SIDE }, (_, n) =>
    Math.cos((Math.PI * (2 * n + 1) * k) / (2 * HASH_SAMPLE_SIDE)),
  ),
);

/**
 * The 8×8 lowest DCT-II frequencies of a 32×32 greyscale square (row-major, one byte a pixel), row u
 * being vertical frequency u. Unnormalized, as in the common `imagehash` pHash: the bits compare
 * coefficients with their median, so constant factors do not change them.
 */
export function lowFrequencies(pixels: Uint8Array): Float64Array {
  const side = HASH_SAMPLE_SIDE;
  if (pixels.length !== side * side) {
    throw new RangeError(`A perceptual hash needs ${side}×${side} greyscale pixels, not ${pixels.length} bytes.`);
  }
  // Separable: along each row first (rows[y][v]), then down the columns of that.
  const rows = new Float64Array(side * LOW_FREQUENCIES);
  for (let y = 0; y < side; y++) {
    for (let v = 0; v < LOW_FREQUENCIES; v++) {
      const basis = COSINES[v]!;
      let sum = 0;
      for (let x = 0; x < side; x++) sum += pixels[y * side + x]! * basis[x]!;
      rows[y * LOW_FREQUENCIES + v] = sum;
    }
  }
  const block = new Float64Array(LOW_FREQUENCIES * LOW_FREQUENCIES);
  for (let u = 0; u < LOW_FREQUENCIES; u++) {
    const basis = COSINES[u]!;
    for (let v = 0; v < LOW_FREQUENCIES; v++) {
      let sum = 0;
      for (let y = 0; y < side; y++) sum += rows[y * LOW_FREQUENCIES + v]! * basis[y]!;
      block[u * LOW_FREQUENCIES + v] = sum;
    }
  }
  return block;
}

/**
 * The 64-bit pHash of a 32×32 greyscale square: one bit per low frequency (row-major, the first the most
 * significant), set when the coefficient is above their median. Signed, so it fits PostgreSQL's bigint.
 */
export function perceptualHashOfPixels(pixels: Uint8Array): bigint {
  const block = lowFrequencies(pixels);
  const sorted = Float64Array.from(block).sort();
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hash = 0n;
  for (const coefficient of block) hash = (hash << 1n) | (coefficient > median ? 1n : 0n);
  return BigInt.asIntN(64, hash);
}

/**
 * The pHash of an image already set up by the caller (decoded with its input options, oriented): fills
 * transparency with white, as a page shows it, then samples it down to the 32×32 greyscale square.
 */
export async function perceptualHash(image: Sharp): Promise<bigint> {
  const pixels = await image
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(HASH_SAMPLE_SIDE, HASH_SAMPLE_SIDE, { fit: 'fill' })
    .raw()
    .toBuffer();
  return perceptualHashOfPixels(pixels);
}

/** How many of the 64 bits two perceptual hashes differ in: 0 for the same picture, about 32 for unrelated ones. */
export function hammingDistance(a: bigint, b: bigint): number {
  let differing = BigInt.asUintN(64, a ^ b);
  let count = 0;
  for (; differing !== 0n; count++) differing &= differing - 1n; // clears the lowest set bit
  return count;
}
