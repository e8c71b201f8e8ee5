import { randomBytes } from 'node:crypto';

/** A uniform draw in (0, 1), never 0 or 1. */
export type UniformSource = () => number;

/** 53 random bits from the operating system's CSPRNG, centred in their cell so the draw is never 0 or 1. */
export const secureUniform: UniformSource = () => {
  const bytes = randomBytes(7);
  let bits = 0;
  for (const byte of bytes) bits = bits * 256 + byte;
  return (Math.floor(bits / 8) + 0.5) / 2 ** 53;
};

/** A draw of Laplace(0, scale), by the inverse of its distribution function. */
export function laplaceNoise(scale: number, uniform: UniformSource = secureUniform): number {
  const centred = uniform() - 0.5;
  return -scale * Math.sign(centred) * Math.log(1 - 2 * Math.abs(centred));
}

/**
 * A count released under ε-differential privacy by the Laplace mechanism: one account changes the true
 * count by at most `sensitivity` (its contribution is clipped to that), so noise of scale sensitivity / ε
 * hides whether it is in the data. Rounded to a whole number (post-processing keeps the guarantee); not
 * clamped at 0, so sums of many cells stay unbiased.
 */
export function noisyCount(
  count: number,
  epsilon: number,
  sensitivity: number,
  uniform: UniformSource = secureUniform,
): number {
  return Math.round(count + laplaceNoise(sensitivity / epsilon, uniform));
}
