/*
 * Multi-index hashing for 64-bit perceptual hashes. The hash is cut into four 16-bit bands. Two hashes
 * at most 7 bits apart differ in at most one bit in some band (four bands each with two or more
 * differing bits would make at least 8), so probing, in every band, the band's own value and its 16
 * one-bit neighbours (4 × 17 probes) finds every hash within distance 6 of the rules. Random hashes
 * then meet a probe with chance 68 / 65 536 each: about one candidate in a thousand photos.
 */

export const BAND_COUNT = 4;
const BAND_BITS = 16;
const BAND_MASK = (1n << BigInt(BAND_BITS)) - 1n;

/** The four bands of a hash (signed bigint as stored), band 0 the most significant, each 0 … 65 535. */
export function hashBands(hash: bigint): [number, number, number, number] {
  const unsigned = BigInt.asUintN(64, hash);
  const band = (index: number) => Number((unsigned >> BigInt(BAND_BITS * (BAND_COUNT - 1 - index))) & BAND_MASK);
  return [band(0), band(1), band(2), band(3)];
}

/** For each band, the values a neighbour's band may have: the band itself and every value one bit off. */
export function bandProbes(hash: bigint): number[][] {
  return hashBands(hash).map((value) => [value, ...Array.from({ length: BAND_BITS }, (_, bit) => value ^ (1 << bit))]);
}

/** Whether `candidate` would be found by probing around `hash`: one of its bands is among the probes. */
export function isProbeCandidate(hash: bigint, candidate: bigint): boolean {
  const probes = bandProbes(hash);
  return hashBands(candidate).some((value, band) => probes[band]!.includes(value));
}
