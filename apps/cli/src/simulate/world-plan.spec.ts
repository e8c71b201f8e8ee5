import { noFraud, parseFraudMix } from './fraud-mix.js';
import { Prng } from './prng.js';
import { planWorld, type PlannedAction, type WorldParameters, type WorldPlan } from './world-plan.js';

const END = new Date('2026-11-30T12:00:00.000Z');
const MINUTE = 60_000;

function parameters(overrides: Partial<WorldParameters> = {}): WorldParameters {
  return { users: 300, brands: 6, days: 7, fraud: noFraud(), seed: 7, end: END, ...overrides };
}

function membersOf(plan: WorldPlan, groupId: string): Set<number> {
  return new Set(plan.fraudGroups.find((g) => g.groupId === groupId)!.members);
}

function commentsBy(plan: WorldPlan, members: Set<number>) {
  return plan.actions.filter(
    (a): a is Extract<PlannedAction, { kind: 'comment' }> => a.kind === 'comment' && members.has(a.account),
  );
}

describe('Prng', () => {
  it('repeats its sequence for a seed, and differs for the next seed and for a fork', () => {
    const draws = (rng: Prng) => Array.from({ length: 5 }, () => rng.float());
    expect(draws(new Prng(1))).toEqual(draws(new Prng(1)));
    expect(draws(new Prng(1))).not.toEqual(draws(new Prng(2)));
    expect(draws(new Prng(1).fork('a'))).not.toEqual(draws(new Prng(1).fork('b')));
    // Scrambled: seeds 1 and 2 do not both start near 0 as bare xorshift32 does.
    expect(new Prng(1).float()).toBeGreaterThan(0.001);
  });
});

describe('parseFraudMix', () => {
  it('reads counts of groups and none, and names what is wrong', () => {
    expect(parseFraudMix('overt:2,swarm:1')).toEqual({ ...noFraud(), overt: 2, swarm: 1 });
    expect(parseFraudMix('none')).toEqual(noFraud());
    expect(() => parseFraudMix('bots:1')).toThrow(/unknown kind "bots"/);
    expect(() => parseFraudMix('overt:x')).toThrow(/<kind>:<number of groups>/);
  });
});

describe('planWorld', () => {
  const fraud = parseFraudMix('overt:2,stealthy:1,lockstep:1,stock:1,rings:1,swarm:1');
  const plan = planWorld(parameters({ fraud }));

  it('is the same plan for the same parameters and another for another seed', () => {
    const again = planWorld(parameters({ fraud }));
    expect(JSON.stringify(again)).toEqual(JSON.stringify(plan));
    const other = planWorld(parameters({ fraud, seed: 8 }));
    expect(JSON.stringify(other.actions)).not.toEqual(JSON.stringify(plan.actions));
  });

  it('orders actions in time inside the world, each after what it needs', () => {
    const signedUp = new Map<number, number>();
    const brandsMade = new Set<number>();
    const uploaded = new Map<number, number>();
    let previous = plan.start.getTime();
    for (const action of plan.actions) {
      const at = action.at.getTime();
      expect(at).toBeGreaterThanOrEqual(previous);
      expect(at).toBeLessThan(END.getTime());
      previous = at;
      if (action.kind === 'signUp') {
        const inviter = plan.accounts[action.account]!.invitedBy;
        if (inviter !== null) expect(signedUp.has(inviter)).toBe(true);
        signedUp.set(action.account, at);
        continue;
      }
      expect(signedUp.get(action.account)).toBeLessThan(at);
      if (action.kind === 'createBrand') brandsMade.add(action.brand);
      if (action.kind === 'upload') {
        expect(brandsMade.has(plan.photos[action.photo]!.brand)).toBe(true);
        uploaded.set(action.photo, at);
      }
      if (action.kind === 'comment') expect(uploaded.get(action.photo)).toBeLessThan(at);
      if (action.kind === 'follow') expect(signedUp.has(action.followee)).toBe(true);
    }
    expect(brandsMade.size).toBe(6);
  });

  it('shows participation inequality: the top 1 % of organic users upload a large share of the photos', () => {
    const organic = plan.accounts.filter((a) => a.group.kind === 'organic');
    expect(organic).toHaveLength(300);
    const counts = organic.map((a) => plan.photos.filter((p) => p.owner === a.key).length).sort((a, b) => b - a);
    const total = counts.reduce((sum, n) => sum + n, 0);
    const top = counts.slice(0, 3).reduce((sum, n) => sum + n, 0);
    expect(top / total).toBeGreaterThan(0.25);
    // Most users upload nothing at all.
    expect(counts.filter((n) => n === 0).length / counts.length).toBeGreaterThan(0.8);
  });

  it('prefers popular brands, follows the daily rhythm, and has invite trees and a declared campaign', () => {
    const perBrand = plan.brands.map((b) => plan.photos.filter((p) => p.brand === b.key && !p.stockGroup).length);
    expect(perBrand[0]).toBeGreaterThan(perBrand[5]!);
    const byHour = Array.from({ length: 24 }, () => 0);
    for (const a of plan.actions) {
      if (a.kind === 'comment' && plan.accounts[a.account]!.group.kind === 'organic') byHour[a.at.getUTCHours()]!++;
    }
    expect(byHour[20]!).toBeGreaterThan(3 * byHour[3]!);
    expect(plan.accounts.filter((a) => a.group.kind === 'organic' && a.invitedBy !== null).length).toBeGreaterThan(30);
    expect(plan.campaigns).toHaveLength(1);
    const { brand, start, end } = plan.campaigns[0]!;
    const inWindow = plan.actions.filter(
      (a) => a.kind === 'comment' && plan.photos[a.photo]!.brand === brand && a.at >= start && a.at <= end,
    ).length;
    // Six hours of the campaign hold far more than their share (6/168) of the brand's comments.
    const all = plan.actions.filter((a) => a.kind === 'comment' && plan.photos[a.photo]!.brand === brand).length;
    expect(inWindow / all).toBeGreaterThan(0.15);
  });

  it('plants the declared fraud groups with their sizes and timing', () => {
    expect(plan.fraudGroups.map((g) => g.groupId)).toEqual([
      'overt-1',
      'overt-2',
      'stealthy-1',
      'lockstep-1',
      'stock-1',
      'rings-1',
      'swarm-1',
    ]);
    const sizes = Object.fromEntries(plan.fraudGroups.map((g) => [g.groupId, g.members.length]));
    expect(sizes['overt-1']).toBeGreaterThanOrEqual(20);
    expect(sizes['overt-1']).toBeLessThanOrEqual(60);
    expect(sizes['lockstep-1']).toBeGreaterThanOrEqual(5);
    for (const group of plan.fraudGroups) {
      for (const key of group.members)
        expect(plan.accounts[key]!.group).toEqual({ kind: group.kind, groupId: group.groupId });
    }

    // Overt: the farm's comments on a photo all fall within minutes.
    const overt = commentsBy(plan, membersOf(plan, 'overt-1'));
    const perPhoto = new Map<number, number[]>();
    for (const c of overt) perPhoto.set(c.photo, [...(perPhoto.get(c.photo) ?? []), c.at.getTime()]);
    expect(perPhoto.size).toBeGreaterThanOrEqual(1);
    for (const times of perPhoto.values()) expect(Math.max(...times) - Math.min(...times)).toBeLessThan(10 * MINUTE);

    // Lockstep: at least 3 bursts, each with every member on the same 3+ photos within 10 minutes.
    const lockstep = membersOf(plan, 'lockstep-1');
    const comments = commentsBy(plan, lockstep).sort((a, b) => a.at.getTime() - b.at.getTime());
    const bursts: (typeof comments)[] = [];
    for (const c of comments) {
      const last = bursts.at(-1);
      if (last && c.at.getTime() - last[0]!.at.getTime() < 10 * MINUTE) last.push(c);
      else bursts.push([c]);
    }
    const full = bursts.filter(
      (b) => new Set(b.map((c) => c.photo)).size >= 3 && new Set(b.map((c) => c.account)).size === lockstep.size,
    );
    expect(full.length).toBeGreaterThanOrEqual(3);

    // Stock: every member uploads copies of one scene, changed.
    const stock = plan.photos.filter((p) => p.stockGroup === 'stock-1');
    expect(new Set(stock.map((p) => p.scene)).size).toBe(1);
    expect(new Set(stock.map((p) => p.owner))).toEqual(membersOf(plan, 'stock-1'));
    expect(stock.every((p) => p.variant.kind !== 'original')).toBe(true);

    // Rings: invited by each other, from at most two devices.
    const ring = [...membersOf(plan, 'rings-1')].map((k) => plan.accounts[k]!);
    expect(ring.slice(1).every((a) => ring.some((b) => b.key === a.invitedBy))).toBe(true);
    expect(new Set(ring.map((a) => a.client.device)).size).toBeLessThanOrEqual(2);

    // Swarm: young at the end, nobody follows them, one brand.
    const swarm = membersOf(plan, 'swarm-1');
    for (const key of swarm)
      expect(END.getTime() - plan.accounts[key]!.signUpAt.getTime()).toBeLessThan(7 * 24 * 60 * MINUTE);
    expect(plan.actions.some((a) => a.kind === 'follow' && swarm.has(a.followee))).toBe(false);
    expect(new Set(commentsBy(plan, swarm).map((c) => plan.photos[c.photo]!.brand)).size).toBe(1);
  });

  it('shares fingerprints inside farms only some of the time', () => {
    const overt = [...membersOf(plan, 'overt-1')].map((k) => plan.accounts[k]!);
    const devices = new Set(overt.map((a) => a.client.device));
    expect(devices.size).toBeLessThan(overt.length);
    expect(devices.size).toBeGreaterThan(Math.ceil(overt.length / 6));
  });

  it('plants nothing in an organic-only world', () => {
    const organicOnly = planWorld(parameters({ users: 50 }));
    expect(organicOnly.fraudGroups).toEqual([]);
    expect(organicOnly.accounts.every((a) => a.group.kind === 'organic')).toBe(true);
  });
});
