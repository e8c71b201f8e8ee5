/**
 * How suspicious an account is, from the scores of the flags the detectors raised on it (each in 0..1):
 * their noisy-or, 1 − Π(1 − score). Independent weak signals add up (a young account that also shares a
 * device), one strong signal is enough, and more evidence never lowers it.
 */
export function accountSuspicion(scores: readonly number[]): number {
  return 1 - scores.reduce((clean, score) => clean * (1 - Math.min(1, Math.max(0, score))), 1);
}
