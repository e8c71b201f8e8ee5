import { clusterEvidenceSentence } from './cluster-evidence.js';

describe('clusterEvidenceSentence', () => {
  const sentence = (kind: string, evidence: Record<string, unknown>, members = ['a', 'b'], users = 2) =>
    clusterEvidenceSentence({ kind, detector: 'D', members, evidence }, users);

  it('tells each kind of group in counts, never fingerprints', () => {
    expect(
      sentence('LOCKSTEP', {
        targets: ['photo:1', 'photo:2', 'photo:3'],
        accounts: 6,
        windowMinutes: 10,
        beneficiaries: ['x'],
      }),
    ).toBe(
      '6 accounts acted on the same 3 targets (photos, brands or proposals), each time within 10 minutes of one another, for the 1 account owning those photos.',
    );
    expect(sentence('PHOTOS', { distinctUsers: 3 }, ['p1', 'p2', 'p3'])).toBe(
      '3 near-identical photos uploaded by 3 different accounts.',
    );
    const device = sentence('SHARED_DEVICE', { fingerprintKind: 'device', fingerprint: 'secret-hash', accounts: 4 });
    expect(device).toBe('4 accounts used the same device.');
    expect(device).not.toContain('secret-hash');
    expect(sentence('CAPTIVE_AUDIENCE', { devotees: 5, ownerPhotos: 4, associates: 0 })).toBe(
      '5 accounts commented on most of one account’s 4 photos.',
    );
    expect(
      sentence('BURST', {
        brandId: 'b',
        hour: '2026-11-20T18:00:00.000Z',
        count: 64,
        baselineMedian: 3,
        explained: false,
      }),
    ).toBe(
      '64 earning actions in the hour from 2026-11-20T18:00 UTC, against a usual 3 an hour, by 2 accounts, with no declared campaign.',
    );
    expect(sentence('LOW_TRUST_INVITE_TREE', { accounts: 7, edgesLeavingGroup: 0 })).toBe(
      '7 accounts joined by invites among themselves, with no returned follow or comment outside the group: no established member vouches for them.',
    );
    expect(sentence('SOMETHING_NEW', {}, ['a'], 1)).toBe('1 account grouped by the D detector as SOMETHING_NEW.');
  });
});
