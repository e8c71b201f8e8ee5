/** The planted fraud a world may hold (issue 9, "The synthetic world"). */
export const FRAUD_KINDS = ['overt', 'stealthy', 'lockstep', 'stock', 'rings', 'swarm'] as const;
export type FraudKind = (typeof FRAUD_KINDS)[number];

/** How many groups of each kind to plant. */
export type FraudMix = Record<FraudKind, number>;

export const FRAUD_DESCRIPTIONS: Record<FraudKind, string> = {
  overt: 'a farm of 20-60 new accounts commenting on the same photos within minutes',
  stealthy: 'a farm of 8-15 accounts spread over days, with camouflage comments on popular brands',
  lockstep: '5-8 accounts commenting on the same 3-4 photos within 10 minutes, at least 3 times',
  stock: '6-12 accounts uploading re-encoded, resized or cropped copies of the same stock photo',
  rings: '5-9 accounts inviting each other from 1-2 shared devices and commenting on each other',
  swarm: '12-25 accounts under 3 days old, without followers, all acting on one brand',
};

export function noFraud(): FraudMix {
  return { overt: 0, stealthy: 0, lockstep: 0, stock: 0, rings: 0, swarm: 0 };
}

/** Reads `overt:2,stealthy:1` (counts of groups) or `none`; an error names what is wrong. */
export function parseFraudMix(text: string): FraudMix {
  const mix = noFraud();
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'none' || trimmed === '') return mix;
  for (const part of trimmed.split(',')) {
    const [kind, count, extra] = part.split(':').map((piece) => piece.trim());
    if (!FRAUD_KINDS.includes(kind as FraudKind)) {
      throw new Error(`--fraud: unknown kind "${kind}"; the kinds are ${FRAUD_KINDS.join(', ')} (or none)`);
    }
    const groups = Number(count);
    if (extra !== undefined || count === undefined || !Number.isInteger(groups) || groups < 0) {
      throw new Error(`--fraud: "${part}" must be <kind>:<number of groups>, e.g. overt:2`);
    }
    mix[kind as FraudKind] = groups;
  }
  return mix;
}

export function describeFraudMix(mix: FraudMix): string {
  const parts = FRAUD_KINDS.filter((kind) => mix[kind] > 0).map((kind) => `${kind}:${mix[kind]}`);
  return parts.length > 0 ? parts.join(',') : 'none';
}
