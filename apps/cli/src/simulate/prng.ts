import { seededRandom } from '@boardroom/core';

/** The murmur3 finalizer: spreads nearby seeds (1, 2, 3 …) over the whole 32-bit range. */
function scramble(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit FNV-1a hash of a label, so that a fork's stream depends on its name. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The one source of randomness of a simulated world: the product's xorshift32 (the synthetic scenes use
 * it too) behind a scrambled seed, with the draws a world needs. Deterministic for a seed, never
 * Math.random. `fork(label)` gives an independent stream per part of the world, so adding draws to one
 * part does not reshuffle the others.
 */
export class Prng {
  private readonly next: () => number;

  constructor(private readonly seed: number) {
    this.next = seededRandom(scramble(seed));
  }

  fork(label: string): Prng {
    return new Prng(scramble(this.seed ^ hashLabel(label)));
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** An index drawn with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let target = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i]!;
      if (target < 0) return i;
    }
    return weights.length - 1;
  }

  /** A Poisson count of mean `mean` (Knuth's method: the means here are small). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let count = 0;
    for (let product = this.next(); product > limit; product *= this.next()) count++;
    return count;
  }

  /** A random 32-bit number, e.g. the seed of an image. */
  uint32(): number {
    return Math.floor(this.next() * 2 ** 32) >>> 0;
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let text = '';
    while (text.length < length) text += this.uint32().toString(16).padStart(8, '0');
    return text.slice(0, length);
  }
}
