/** A count with its noun, singular or plural. */
const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

const numberIn = (evidence: Record<string, unknown>, key: string): number | null =>
  typeof evidence[key] === 'number' ? evidence[key] : null;

/**
 * One sentence a brand manager can read about a detector's group, from the evidence the detector stored:
 * counts and what they did, never fingerprints or internal ids.
 */
export function clusterEvidenceSentence(
  cluster: { kind: string; detector: string; members: readonly string[]; evidence: Record<string, unknown> },
  users: number,
): string {
  const { evidence } = cluster;
  switch (cluster.kind) {
    case 'LOCKSTEP': {
      const targets = Array.isArray(evidence.targets) ? evidence.targets.length : 0;
      const accounts = numberIn(evidence, 'accounts') ?? users;
      const minutes = numberIn(evidence, 'windowMinutes') ?? 10;
      const beneficiaries = Array.isArray(evidence.beneficiaries) ? evidence.beneficiaries.length : 0;
      return (
        `${count(accounts, 'account')} acted on the same ${count(targets, 'target')} (photos, brands or proposals), ` +
        `each time within ${minutes} minutes of one another` +
        (beneficiaries > 0 ? `, for the ${count(beneficiaries, 'account')} owning those photos.` : '.')
      );
    }
    case 'PHOTOS': {
      const distinctUsers = numberIn(evidence, 'distinctUsers') ?? users;
      return `${count(cluster.members.length, 'near-identical photo')} uploaded by ${count(distinctUsers, 'different account')}.`;
    }
    case 'SHARED_DEVICE':
      return `${count(numberIn(evidence, 'accounts') ?? users, 'account')} used the same device.`;
    case 'SHARED_NETWORK':
      return `${count(numberIn(evidence, 'accounts') ?? users, 'account')} used the same network within the same hour.`;
    case 'CAPTIVE_AUDIENCE': {
      const devotees = numberIn(evidence, 'devotees') ?? 0;
      const photos = numberIn(evidence, 'ownerPhotos');
      const associates = numberIn(evidence, 'associates') ?? 0;
      return (
        `${count(devotees, 'account')} commented on most of one account’s ` +
        `${photos === null ? 'photos' : count(photos, 'photo')}` +
        (associates > 0 ? `, with ${count(associates, 'more account')} sharing their devices or small networks.` : '.')
      );
    }
    case 'BURST': {
      const events = numberIn(evidence, 'count') ?? 0;
      const median = numberIn(evidence, 'baselineMedian') ?? 0;
      const hour = typeof evidence.hour === 'string' ? ` in the hour from ${evidence.hour.slice(0, 13)}:00 UTC` : '';
      return (
        `${count(events, 'earning action')}${hour}, against a usual ${median} an hour, by ${count(users, 'account')}` +
        (evidence.explained === true ? ', inside a campaign you declared.' : ', with no declared campaign.')
      );
    }
    case 'LOW_TRUST_INVITE_TREE': {
      const accounts = numberIn(evidence, 'accounts') ?? users;
      const leaving = numberIn(evidence, 'edgesLeavingGroup') ?? 0;
      return (
        `${count(accounts, 'account')} joined by invites among themselves, ` +
        `${leaving === 0 ? 'with no returned follow or comment outside the group' : `with only ${count(leaving, 'tie')} outside it`}: ` +
        'no established member vouches for them.'
      );
    }
    default:
      return `${count(users, 'account')} grouped by the ${cluster.detector} detector as ${cluster.kind}.`;
  }
}
