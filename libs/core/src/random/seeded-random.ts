/**
 * xorshift32: the same sequence in [0, 1) for the same seed on every run (the synthetic scenes and the
 * simulated worlds). Not for secrets. Nearby small seeds start alike, so a seed a person chose is
 * scrambled first (the simulation does).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}
