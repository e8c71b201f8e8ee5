/**
 * Multi-index hashing of 64-bit perceptual hashes: four 16-bit bands, each stored and looked up by
 * value. Two hashes at Hamming distance ≤ 6 differ in at most one bit in at least one band (were every
 * band 2 bits or more apart, they would be ≥ 8 apart), so probing each band's value and its 16
 * one-bit neighbours (4 × 17 = 68 index lookups) finds every such pair. A probe matches an unrelated
 * hash with probability 17 / 65 536 per band, about 1 in 960 over the four: the candidates of a lookup
 * are a small fraction of the photos, not all of them.
 */
export const BAND_COUNT = 4;
export const BAND_BITS = 16;
const BAND_MASK = (1n << BigInt(BAND_BITS)) - 1n;

/** The distance up to which the probes are complete: (band-mismatch bits + 1) × bands − 1. */
export const GUARANTEED_DISTANCE = 2 * BAND_COUNT - 1;

export interface BandValue {
  band: number;
  value: number;
}

/** The hash's value in each band; `hash` may be signed (as PostgreSQL's bigint keeps it). */
export function bandsOf(hash: bigint): BandValue[] {
  const unsigned = BigInt.asUintN(64, hash);
  return Array.from({ length: BAND_COUNT }, (_, band) => ({
    band,
    value: Number((unsigned >> BigInt(band * BAND_BITS)) & BAND_MASK),
  }));
}

/** The band values to look up for every stored hash within GUARANTEED_DISTANCE of `hash`. */
export function probesOf(hash: bigint): BandValue[] {
  const probes: BandValue[] = [];
  for (const { band, value } of bandsOf(hash)) {
    probes.push({ band, value });
    for (let bit = 0; bit < BAND_BITS; bit++) probes.push({ band, value: value ^ (1 << bit) });
  }
  return probes;
}
