import { FRAUD_KINDS, type FraudKind, type FraudMix } from './fraud-mix.js';
import { Prng } from './prng.js';
import { commentBody, farmCommentBody, pseudoWord, uniquePerson } from './vocabulary.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What `npm run cli -- simulate` was asked for; the plan is a pure function of it. */
export interface WorldParameters {
  /** Organic users (the fraud groups come on top). */
  users: number;
  brands: number;
  days: number;
  fraud: FraudMix;
  seed: number;
  /** The world ends here; it starts `days` before. */
  end: Date;
}

/** Participation inequality, the 90-9-1 rule: 1 % create most, 9 % contribute some, 90 % mostly watch. */
export type Tier = 'creator' | 'contributor' | 'lurker';

export type AccountGroup = { kind: 'organic'; tier: Tier } | { kind: FraudKind; groupId: string };

/** What the services see of a client: the device id (X-Device-Id) and the network (the address). */
export interface ClientPrint {
  device: string;
  network: string;
}

export interface PlannedAccount {
  key: number;
  handle: string;
  displayName: string;
  group: AccountGroup;
  client: ClientPrint;
  signUpAt: Date;
  /** The key of the account whose invite this one signs up with. */
  invitedBy: number | null;
}

export interface PlannedBrand {
  key: number;
  name: string;
  website: string;
  creator: number;
  /** Zipf weight: how much organic users prefer it. */
  popularity: number;
}

/** How an uploaded file is made from its scene: the first upload, or a changed copy of it. */
export type PhotoVariant =
  | { kind: 'original' }
  | { kind: 'reencode'; quality: number }
  | { kind: 'resize'; scale: number }
  | { kind: 'crop'; keep: number };

export interface PlannedPhoto {
  key: number;
  owner: number;
  brand: number;
  at: Date;
  /** Seed of the synthetic scene; copies of one photo share it. */
  scene: number;
  variant: PhotoVariant;
  /** The stock-photo group when this is one of a stock group's copies. */
  stockGroup: string | null;
}

export type PlannedAction =
  | { kind: 'signUp'; at: Date; account: number }
  | { kind: 'createBrand'; at: Date; account: number; brand: number }
  /** The brand's creator declares `plan.campaigns[campaign]` ahead of its window. */
  | { kind: 'declareCampaign'; at: Date; account: number; brand: number; campaign: number }
  | { kind: 'upload'; at: Date; account: number; photo: number }
  | { kind: 'comment'; at: Date; account: number; photo: number; body: string }
  | { kind: 'follow'; at: Date; account: number; followee: number };

/**
 * A brand's declared campaign: the burst of activity inside it is genuine. Declared through the product
 * (a `declareCampaign` action, a day before the window opens) so the bursts detector explains it, and
 * written to labels.json too.
 */
export interface CampaignWindow {
  brand: number;
  start: Date;
  end: Date;
}

export interface FraudGroupPlan {
  groupId: string;
  kind: FraudKind;
  members: number[];
}

export interface WorldPlan {
  parameters: WorldParameters;
  start: Date;
  accounts: PlannedAccount[];
  brands: PlannedBrand[];
  photos: PlannedPhoto[];
  /** In time order; an action never comes before what it needs (its account, brand, photo). */
  actions: PlannedAction[];
  campaigns: CampaignWindow[];
  fraudGroups: FraudGroupPlan[];
}

/** Relative activity by UTC hour: quiet nights, a lunch bump, the evening peak. */
const HOUR_WEIGHTS = [
  0.5, 0.3, 0.2, 0.15, 0.15, 0.2, 0.4, 0.8, 1, 1, 1, 1.1, 1.3, 1.2, 1, 1, 1.1, 1.3, 1.6, 1.9, 2, 1.8, 1.3, 0.8,
];

/** Mean actions per active day, by tier. */
const DAILY_RATES: Record<Tier, { uploads: number; comments: number; follows: number }> = {
  creator: { uploads: 3, comments: 8, follows: 0.4 },
  contributor: { uploads: 0.3, comments: 2, follows: 0.5 },
  lurker: { uploads: 0.01, comments: 0.2, follows: 0.25 },
};

/** How much a tier is followed, invites, and is commented on. */
const TIER_PULL: Record<Tier, number> = { creator: 20, contributor: 5, lurker: 1 };
/** Open invites are capped at 20; accepted ones are not, but friends' circles are small. */
const MAX_INVITEES = 5;
/** Comments go to what is recent: one of the brand's last photos before the comment. */
const RECENT_PHOTOS = 30;
/** Share of the organic users on a few big shared networks (mobile carriers' NAT): shared, and innocent. */
const CARRIER_SHARE = 0.15;
const CARRIER_NETWORKS = ['100.64.0.1', '100.64.0.2', '100.64.0.3'];

export function validateParameters(parameters: WorldParameters): void {
  const whole = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max)
      throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
  };
  whole('users', parameters.users, 1, 1_000_000);
  whole('brands', parameters.brands, 1, 10_000);
  whole('days', parameters.days, 1, 3650);
  whole('seed', parameters.seed, 0, 2 ** 32 - 1);
  if (Number.isNaN(parameters.end.getTime())) throw new Error('--end must be a date and time (ISO 8601)');
}

/** The whole world, decided before anything is written: the same parameters always give the same plan. */
export function planWorld(parameters: WorldParameters): WorldPlan {
  validateParameters(parameters);
  return new WorldBuilder(parameters).build();
}

class WorldBuilder {
  private readonly root: Prng;
  private readonly start: Date;
  private readonly end: Date;
  private readonly accounts: PlannedAccount[] = [];
  private readonly brands: PlannedBrand[] = [];
  private readonly photos: PlannedPhoto[] = [];
  private readonly actions: PlannedAction[] = [];
  private readonly campaigns: CampaignWindow[] = [];
  private readonly fraudGroups: FraudGroupPlan[] = [];
  private readonly handles = new Set<string>();
  /** Per brand, its photos in time order (for "a recent photo of this brand before t"). */
  private readonly photosByBrand = new Map<number, PlannedPhoto[]>();
  private readonly allPhotosInOrder: PlannedPhoto[] = [];
  private readonly inviteCounts = new Map<number, number>();

  constructor(private readonly parameters: WorldParameters) {
    this.root = new Prng(parameters.seed);
    this.end = parameters.end;
    this.start = new Date(parameters.end.getTime() - parameters.days * DAY);
  }

  build(): WorldPlan {
    const organic = this.organicAccounts(this.root.fork('accounts'));
    this.createBrands(this.root.fork('brands'), organic);
    this.organicUploads(this.root.fork('uploads'), organic);
    this.campaign(this.root.fork('campaign'), organic);
    this.organicComments(this.root.fork('comments'), organic);
    this.organicFollows(this.root.fork('follows'), organic);
    for (const kind of FRAUD_KINDS) {
      for (let i = 1; i <= this.parameters.fraud[kind]; i++) {
        const groupId = `${kind}-${i}`;
        this.fraud(kind, groupId, this.root.fork(groupId));
      }
    }
    const order = new Map(this.actions.map((action, index) => [action, index]));
    const actions = [...this.actions].sort((a, b) => a.at.getTime() - b.at.getTime() || order.get(a)! - order.get(b)!);
    return {
      parameters: this.parameters,
      start: this.start,
      accounts: this.accounts,
      brands: this.brands,
      photos: this.photos,
      actions,
      campaigns: this.campaigns,
      fraudGroups: this.fraudGroups,
    };
  }

  // ---- time -------------------------------------------------------------------------------------

  /** A time between `from` and `to` by the daily rhythm (UTC hours), uniform when the span is too short for one. */
  private rhythmTime(rng: Prng, from: number, to: number): Date {
    const firstDay = Math.floor(from / DAY);
    const lastDay = Math.floor((to - 1) / DAY);
    for (let tries = 0; tries < 8; tries++) {
      const day = rng.int(firstDay, lastDay);
      const at = day * DAY + rng.weightedIndex(HOUR_WEIGHTS) * HOUR + rng.int(0, HOUR - 1);
      if (at >= from && at < to) return new Date(at);
    }
    return this.between(rng, from, to);
  }

  /** A time on UTC day `day` of an account's active days, by the daily rhythm; null when outside the world. */
  private onDay(rng: Prng, day: number): Date | null {
    const at = new Date(day * DAY + rng.weightedIndex(HOUR_WEIGHTS) * HOUR + rng.int(0, HOUR - 1));
    return this.inWorld(at) ? at : null;
  }

  /** A time between `from` and `to` (exclusive), uniformly. */
  private between(rng: Prng, from: number, to: number): Date {
    return new Date(from + Math.floor(rng.float() * Math.max(1, to - from)));
  }

  private inWorld(at: Date): boolean {
    return at.getTime() > this.start.getTime() && at.getTime() < this.end.getTime();
  }

  // ---- accounts ---------------------------------------------------------------------------------

  private addAccount(
    rng: Prng,
    group: AccountGroup,
    signUpAt: Date,
    client: ClientPrint,
    invitedBy: number | null = null,
  ): PlannedAccount {
    const person = uniquePerson(rng, this.handles);
    const account: PlannedAccount = {
      key: this.accounts.length,
      handle: person.handle,
      displayName: person.displayName,
      group,
      client,
      signUpAt,
      invitedBy,
    };
    this.accounts.push(account);
    this.actions.push({ kind: 'signUp', at: signUpAt, account: account.key });
    if (invitedBy !== null) this.inviteCounts.set(invitedBy, (this.inviteCounts.get(invitedBy) ?? 0) + 1);
    return account;
  }

  private ownDevice(rng: Prng): string {
    return `device-${rng.hex(16)}`;
  }

  private ownNetwork(rng: Prng): string {
    return `${rng.int(11, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  }

  private organicAccounts(rng: Prng): PlannedAccount[] {
    const { users } = this.parameters;
    const creators = Math.max(1, Math.round(users * 0.01));
    const contributors = Math.round(users * 0.09);
    const tiers: Tier[] = Array.from({ length: users }, (_, i) =>
      i < creators ? 'creator' : i < creators + contributors ? 'contributor' : 'lurker',
    );
    // Founders are there when the world starts; the rest join over its days, some through a friend's invite.
    const planned = tiers.map((tier) => {
      const founding = tier !== 'lurker' || rng.chance(0.3);
      const at = founding
        ? this.between(rng, this.start.getTime() + MINUTE, this.start.getTime() + HOUR)
        : this.rhythmTime(rng, this.start.getTime() + HOUR, this.end.getTime() - HOUR);
      return { tier, at };
    });
    planned.sort((a, b) => a.at.getTime() - b.at.getTime());
    const organic: PlannedAccount[] = [];
    for (const { tier, at } of planned) {
      const network = rng.chance(CARRIER_SHARE) ? rng.pick(CARRIER_NETWORKS) : this.ownNetwork(rng);
      const client = { device: this.ownDevice(rng), network };
      const earlier = organic.filter(
        (a) => a.signUpAt.getTime() < at.getTime() - HOUR && (this.inviteCounts.get(a.key) ?? 0) < MAX_INVITEES,
      );
      const invitedBy =
        earlier.length > 0 && at.getTime() > this.start.getTime() + HOUR && rng.chance(0.35)
          ? earlier[rng.weightedIndex(earlier.map((a) => TIER_PULL[tierOf(a)]))]!.key
          : null;
      organic.push(this.addAccount(rng, { kind: 'organic', tier }, at, client, invitedBy));
    }
    return organic;
  }

  // ---- brands and photos ------------------------------------------------------------------------

  private createBrands(rng: Prng, organic: PlannedAccount[]): void {
    const makers = organic.filter((a) => tierOf(a) !== 'lurker');
    const names = new Set<string>();
    for (let rank = 0; rank < this.parameters.brands; rank++) {
      let name = pseudoWord(rng);
      while (names.has(name)) name = pseudoWord(rng);
      names.add(name);
      const creator = makers.length > 0 ? makers[rank % makers.length]! : organic[0]!;
      const brand: PlannedBrand = {
        key: rank,
        name,
        website: `https://${name.toLowerCase()}.example`,
        creator: creator.key,
        popularity: 1 / (rank + 1) ** 1.1,
      };
      this.brands.push(brand);
      const at = new Date(creator.signUpAt.getTime() + rng.int(1, 10) * MINUTE);
      this.actions.push({ kind: 'createBrand', at, account: creator.key, brand: brand.key });
    }
  }

  /** After every brand exists: the brands are all created in the world's first hour and a quarter. */
  private get firstUploadAt(): number {
    return this.start.getTime() + 75 * MINUTE;
  }

  private zipfBrand(rng: Prng): number {
    return rng.weightedIndex(this.brands.map((b) => b.popularity));
  }

  /** Each user's favourite brands, drawn with the preference for popular ones. */
  private favourites(rng: Prng): number[] {
    const count = Math.min(this.brands.length, rng.int(1, 3));
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(this.zipfBrand(rng));
    return [...chosen];
  }

  private addPhoto(photo: Omit<PlannedPhoto, 'key'>): PlannedPhoto {
    const planned = { ...photo, key: this.photos.length };
    this.photos.push(planned);
    this.actions.push({ kind: 'upload', at: planned.at, account: planned.owner, photo: planned.key });
    insertInOrder(this.allPhotosInOrder, planned);
    const ofBrand = this.photosByBrand.get(planned.brand) ?? [];
    insertInOrder(ofBrand, planned);
    this.photosByBrand.set(planned.brand, ofBrand);
    return planned;
  }

  /** One of the last photos (of `brand`, or of any) published at least two minutes before `at`. */
  private recentPhoto(rng: Prng, brand: number | null, at: Date, notOwnedBy?: number): PlannedPhoto | null {
    const list = brand === null ? this.allPhotosInOrder : (this.photosByBrand.get(brand) ?? []);
    const before = countBefore(list, at.getTime() - 2 * MINUTE);
    const candidates = list.slice(Math.max(0, before - RECENT_PHOTOS), before).filter((p) => p.owner !== notOwnedBy);
    if (candidates.length === 0) return null;
    // Creators' photos draw more comments than a lurker's.
    return candidates[rng.weightedIndex(candidates.map((p) => pullOf(this.accounts[p.owner]!)))]!;
  }

  /** The UTC days (numbered from the epoch) from the account's sign-up to the world's end. */
  private activeDays(account: PlannedAccount): number[] {
    const first = Math.floor(account.signUpAt.getTime() / DAY);
    const last = Math.floor((this.end.getTime() - 1) / DAY);
    return Array.from({ length: last - first + 1 }, (_, i) => first + i);
  }

  private organicUploads(rng: Prng, organic: PlannedAccount[]): void {
    for (const account of organic) {
      const tier = tierOf(account);
      const favourites = this.favourites(rng);
      for (const day of this.activeDays(account)) {
        for (let n = rng.poisson(DAILY_RATES[tier].uploads); n > 0; n--) {
          const at = this.onDay(rng, day);
          if (!at || at.getTime() < Math.max(this.firstUploadAt, account.signUpAt.getTime() + 5 * MINUTE)) continue;
          const scene = rng.uint32();
          const brand = rng.pick(favourites);
          this.addPhoto({ owner: account.key, brand, at, scene, variant: { kind: 'original' }, stockGroup: null });
          // Innocent near-duplicates: now and then a user uploads his own photo again, re-encoded.
          const again = new Date(at.getTime() + rng.int(1, 36) * HOUR);
          if (rng.chance(0.04) && this.inWorld(again)) {
            const variant = { kind: 'reencode', quality: rng.int(60, 85) } as const;
            this.addPhoto({ owner: account.key, brand, at: again, scene, variant, stockGroup: null });
          }
        }
      }
    }
  }

  private organicComments(rng: Prng, organic: PlannedAccount[]): void {
    for (const account of organic) {
      const favourites = this.favourites(rng);
      for (const day of this.activeDays(account)) {
        for (let n = rng.poisson(DAILY_RATES[tierOf(account)].comments); n > 0; n--) {
          const at = this.onDay(rng, day);
          if (!at || at.getTime() < account.signUpAt.getTime() + 5 * MINUTE) continue;
          // Mostly the favourite brands, sometimes whatever the feed shows.
          const photo = this.recentPhoto(rng, rng.chance(0.8) ? rng.pick(favourites) : null, at, account.key);
          if (photo)
            this.actions.push({ kind: 'comment', at, account: account.key, photo: photo.key, body: commentBody(rng) });
        }
      }
    }
  }

  private organicFollows(rng: Prng, organic: PlannedAccount[]): void {
    for (const account of organic) {
      if (account.invitedBy !== null && rng.chance(0.8)) {
        const at = new Date(account.signUpAt.getTime() + rng.int(1, 30) * MINUTE);
        if (this.inWorld(at))
          this.actions.push({ kind: 'follow', at, account: account.key, followee: account.invitedBy });
      }
      for (const day of this.activeDays(account)) {
        for (let n = rng.poisson(DAILY_RATES[tierOf(account)].follows); n > 0; n--) {
          const at = this.onDay(rng, day);
          if (!at || at.getTime() < account.signUpAt.getTime() + 5 * MINUTE) continue;
          const there = organic.filter((a) => a.key !== account.key && a.signUpAt.getTime() < at.getTime());
          if (there.length === 0) continue;
          const followee = there[rng.weightedIndex(there.map(pullOf))]!;
          this.actions.push({ kind: 'follow', at, account: account.key, followee: followee.key });
        }
      }
    }
  }

  /** A genuine burst: the second most popular brand declares six evening hours mid-world, and its fans come. */
  private campaign(rng: Prng, organic: PlannedAccount[]): void {
    const brand = Math.min(1, this.brands.length - 1);
    const day = Math.floor(this.parameters.days / 2);
    const start = new Date(this.start.getTime() + day * DAY + 17 * HOUR);
    const end = new Date(Math.min(start.getTime() + 6 * HOUR, this.end.getTime() - MINUTE));
    if (start.getTime() < this.firstUploadAt || end.getTime() <= start.getTime()) return;
    this.campaigns.push({ brand, start, end });
    const created = this.actions.find((a) => a.kind === 'createBrand' && a.brand === brand)!;
    const declaredAt = new Date(Math.max(start.getTime() - DAY, created.at.getTime() + MINUTE));
    if (declaredAt.getTime() < start.getTime()) {
      const account = this.brands[brand]!.creator;
      this.actions.push({
        kind: 'declareCampaign',
        at: declaredAt,
        account,
        brand,
        campaign: this.campaigns.length - 1,
      });
    }
    const fans = organic.filter((a) => a.signUpAt.getTime() < start.getTime() && rng.chance(0.25));
    for (const fan of fans) {
      if (rng.chance(0.15)) {
        const at = this.between(rng, start.getTime(), end.getTime() - 30 * MINUTE);
        const photo = { owner: fan.key, brand, at, scene: rng.uint32(), stockGroup: null };
        this.addPhoto({ ...photo, variant: { kind: 'original' } });
      }
    }
    for (const fan of fans) {
      for (let n = rng.int(1, 3); n > 0; n--) {
        const at = this.between(rng, start.getTime(), end.getTime());
        const photo = this.recentPhoto(rng, brand, at, fan.key);
        if (photo)
          this.actions.push({ kind: 'comment', at, account: fan.key, photo: photo.key, body: commentBody(rng) });
      }
    }
  }

  // ---- planted fraud ----------------------------------------------------------------------------

  private fraud(kind: FraudKind, groupId: string, rng: Prng): void {
    const members: number[] = [];
    const group: AccountGroup = { kind, groupId };
    /** Shared fingerprints some of the time, not always: a pool the members draw from, or their own. */
    const pool = (size: number, make: () => string) => Array.from({ length: size }, make);
    const prints = (devices: string[], deviceShare: number, networks: string[], networkShare: number) => ({
      device: devices.length > 0 && rng.chance(deviceShare) ? rng.pick(devices) : this.ownDevice(rng),
      network: networks.length > 0 && rng.chance(networkShare) ? rng.pick(networks) : this.ownNetwork(rng),
    });
    const span = this.end.getTime() - this.start.getTime();
    const signUp = (at: Date, client: ClientPrint, invitedBy: number | null = null) => {
      const account = this.addAccount(rng, group, at, client, invitedBy);
      members.push(account.key);
      return account;
    };
    const comment = (account: number, photo: PlannedPhoto, at: Date, body = farmCommentBody(rng)) => {
      const after = Math.max(photo.at.getTime(), this.accounts[account]!.signUpAt.getTime()) + MINUTE;
      if (this.inWorld(at) && at.getTime() > after)
        this.actions.push({ kind: 'comment', at, account, photo: photo.key, body });
    };
    const upload = (owner: PlannedAccount, brand: number, at: Date, variant: PhotoVariant = { kind: 'original' }) =>
      this.inWorld(at) && at.getTime() >= this.firstUploadAt
        ? this.addPhoto({ owner: owner.key, brand, at, scene: rng.uint32(), variant, stockGroup: null })
        : null;
    const midBrand = () =>
      Math.min(this.brands.length - 1, rng.int(1, Math.max(1, Math.floor(this.brands.length / 2))));

    switch (kind) {
      case 'overt': {
        const size = rng.int(20, 60);
        const devices = pool(Math.ceil(size / 6), () => this.ownDevice(rng));
        const networks = pool(2, () => this.ownNetwork(rng));
        const from = this.start.getTime() + HOUR + rng.float() * span * 0.3;
        for (let i = 0; i < size; i++)
          signUp(this.between(rng, from, from + 2 * HOUR), prints(devices, 0.6, networks, 0.75));
        const beneficiary = this.accounts[members[0]!]!;
        const brand = midBrand();
        const photos = Array.from({ length: rng.int(3, 6) }, () =>
          upload(beneficiary, brand, this.between(rng, from + 3 * HOUR, this.end.getTime() - HOUR)),
        ).filter((p) => p !== null);
        for (const photo of photos) {
          const hit = photo.at.getTime() + rng.int(10, 240) * MINUTE;
          for (const member of members.slice(1)) {
            if (rng.chance(0.9)) comment(member, photo, new Date(hit + rng.int(0, 8 * 60) * 1000));
          }
        }
        for (const member of members.slice(1)) {
          const both = Math.max(this.accounts[member]!.signUpAt.getTime(), beneficiary.signUpAt.getTime());
          const at = new Date(both + rng.int(2, 30) * MINUTE);
          if (rng.chance(0.7) && this.inWorld(at))
            this.actions.push({ kind: 'follow', at, account: member, followee: beneficiary.key });
        }
        break;
      }
      case 'stealthy': {
        const size = rng.int(8, 15);
        const devices = pool(2, () => this.ownDevice(rng));
        const networks = pool(3, () => this.ownNetwork(rng));
        for (let i = 0; i < size; i++) {
          const at = this.rhythmTime(rng, this.start.getTime() + HOUR, this.start.getTime() + HOUR + span * 0.4);
          signUp(at, prints(devices, 0.15, networks, 0.5));
        }
        const beneficiary = this.accounts[members[0]!]!;
        const brand = midBrand();
        const photos = Array.from({ length: rng.int(3, 5) }, () =>
          upload(
            beneficiary,
            brand,
            this.between(rng, beneficiary.signUpAt.getTime() + HOUR, this.end.getTime() - 6 * HOUR),
          ),
        ).filter((p) => p !== null);
        for (const member of members.slice(1)) {
          for (const photo of photos) {
            if (rng.chance(0.75))
              comment(member, photo, new Date(photo.at.getTime() + rng.int(60, 3 * 24 * 60) * MINUTE));
          }
          // Camouflage: ordinary comments on the popular brands, in the daily rhythm.
          const account = this.accounts[member]!;
          for (let n = rng.int(3, 8); n > 0; n--) {
            const at = this.rhythmTime(rng, account.signUpAt.getTime() + 10 * MINUTE, this.end.getTime());
            const photo = this.recentPhoto(rng, rng.int(0, Math.min(2, this.brands.length - 1)), at, member);
            if (photo) comment(member, photo, at, commentBody(rng));
          }
        }
        break;
      }
      case 'lockstep': {
        const size = rng.int(5, 8);
        const networks = pool(1, () => this.ownNetwork(rng));
        const from = this.start.getTime() + HOUR;
        for (let i = 0; i < size; i++) signUp(this.between(rng, from, from + span * 0.2), prints([], 0, networks, 0.3));
        const ready = Math.max(...members.map((m) => this.accounts[m]!.signUpAt.getTime())) + HOUR;
        const bursts = rng.int(3, 4);
        for (let b = 0; b < bursts; b++) {
          // Spread over the rest of the world, one burst per slice.
          const slice = (this.end.getTime() - ready) / bursts;
          const at = ready + slice * b + rng.float() * slice * 0.8;
          const targets = new Set<PlannedPhoto>();
          for (let tries = 0; tries < 20 && targets.size < rng.int(3, 4); tries++) {
            const photo = this.recentPhoto(rng, null, new Date(at));
            if (photo && !members.includes(photo.owner)) targets.add(photo);
          }
          for (const photo of targets) {
            for (const member of members)
              comment(member, photo, new Date(at + rng.int(0, 9 * 60) * 1000), commentBody(rng));
          }
        }
        break;
      }
      case 'stock': {
        const size = rng.int(6, 12);
        const networks = pool(1, () => this.ownNetwork(rng));
        const scene = rng.uint32();
        for (let i = 0; i < size; i++) {
          signUp(
            this.between(rng, this.start.getTime() + HOUR, this.start.getTime() + span * 0.6),
            prints([], 0, networks, 0.4),
          );
        }
        for (const member of members) {
          const account = this.accounts[member]!;
          for (let n = rng.int(1, 2); n > 0; n--) {
            const at = this.between(rng, account.signUpAt.getTime() + 10 * MINUTE, this.end.getTime() - MINUTE);
            if (!this.inWorld(at) || at.getTime() < this.firstUploadAt) continue;
            const variant: PhotoVariant = rng.pick<PhotoVariant>([
              { kind: 'reencode', quality: rng.int(55, 90) },
              { kind: 'resize', scale: 0.7 + rng.float() * 0.25 },
              { kind: 'crop', keep: 0.82 + rng.float() * 0.13 },
            ]);
            this.addPhoto({ owner: member, brand: this.zipfBrand(rng), at, scene, variant, stockGroup: groupId });
          }
        }
        break;
      }
      case 'rings': {
        const size = rng.int(5, 9);
        const devices = pool(rng.int(1, 2), () => this.ownDevice(rng));
        const networks = pool(1, () => this.ownNetwork(rng));
        let at = this.start.getTime() + HOUR + rng.float() * span * 0.3;
        for (let i = 0; i < size; i++) {
          const invitedBy = i === 0 ? null : members[rng.int(0, members.length - 1)]!;
          signUp(new Date(at), prints(devices, 1, networks, 0.8), invitedBy);
          at += rng.int(5, 90) * MINUTE;
        }
        const photos = members
          .map((m) => this.accounts[m]!)
          .map((a) => upload(a, this.zipfBrand(rng), new Date(a.signUpAt.getTime() + rng.int(60, 360) * MINUTE)))
          .filter((p) => p !== null);
        for (const photo of photos) {
          for (const member of members) {
            if (member !== photo.owner && rng.chance(0.6))
              comment(member, photo, new Date(photo.at.getTime() + rng.int(5, 720) * MINUTE));
          }
        }
        break;
      }
      case 'swarm': {
        const size = rng.int(12, 25);
        const devices = pool(3, () => this.ownDevice(rng));
        const networks = pool(1, () => this.ownNetwork(rng));
        const from = Math.max(
          this.start.getTime() + HOUR,
          this.end.getTime() - Math.min(3, this.parameters.days) * DAY + HOUR,
        );
        const brand = rng.int(0, this.brands.length - 1);
        for (let i = 0; i < size; i++)
          signUp(this.between(rng, from, from + 12 * HOUR), prints(devices, 0.2, networks, 0.3));
        for (const member of members) {
          const account = this.accounts[member]!;
          if (rng.chance(0.5)) upload(account, brand, new Date(account.signUpAt.getTime() + rng.int(10, 360) * MINUTE));
        }
        for (const member of members) {
          const account = this.accounts[member]!;
          for (let n = rng.int(2, 5); n > 0; n--) {
            const at = this.between(rng, account.signUpAt.getTime() + 20 * MINUTE, this.end.getTime() - MINUTE);
            const photo = this.recentPhoto(rng, brand, at, member);
            if (photo) comment(member, photo, at);
          }
        }
        break;
      }
    }
    this.fraudGroups.push({ groupId, kind, members });
  }
}

function tierOf(account: PlannedAccount): Tier {
  return account.group.kind === 'organic' ? account.group.tier : 'lurker';
}

function pullOf(account: PlannedAccount): number {
  return TIER_PULL[tierOf(account)];
}

/** How many of `list` (in time order) are before `time`. */
function countBefore(list: readonly PlannedPhoto[], time: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle]!.at.getTime() < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insertInOrder(list: PlannedPhoto[], photo: PlannedPhoto): void {
  list.splice(countBefore(list, photo.at.getTime() + 1), 0, photo);
}
