import { GAME_RULES, applyDelta, decideCeo, salaryFor, titleForShares, type Title } from '../rules.js';

/**
 * An in-memory model of GAME.md's share rules for photos, comments, awards and reversals, with the CEO
 * seat, for the model-based test of the share ledger (game.model.db-spec.ts). It keeps its own ledger and
 * computes caps, windows, balances and seats from it; only the pure rules that *are* GAME.md's numbers
 * and tables (titles, salaries, the seat's tie rules) come from rules.ts.
 *
 * Time is in milliseconds since the epoch and only moves forward. Recent shares follow GAME.md's design:
 * an employment's window is taken when one of its entries lands and when the daily job runs, so between
 * daily runs a window may still hold entries that have grown older than 60 days (the job re-seats brands
 * whose window moved). The seat is decided again on every entry of its brand and on every daily run.
 */

export const DAY_MS = 24 * 60 * 60 * 1000;
export const WINDOW_MS = GAME_RULES.ceo.recentWindowDays * DAY_MS;

export type ModelReason = 'PHOTO_PUBLISHED' | 'COMMENT_POSTED' | 'AWARD_BONUS' | 'REVERSAL';
export type PhotoWithheld = 'DAILY_CAP' | 'DUPLICATE';
export type CommentWithheld = 'OWN_PHOTO' | 'TOO_SHORT' | 'REPEAT' | 'DAILY_CAP';

export interface ModelEntry {
  /** GAME.md's key; a reversal's is `reversal:<key of the entry it reverses>` here (the ledger uses its id). */
  key: string;
  userId: string;
  brandId: string;
  /** What the entry did to the balance. */
  shares: number;
  /** What its cause asked for. */
  requestedShares: number;
  reason: ModelReason;
  at: number;
}

export interface ModelEmployment {
  userId: string;
  brandId: string;
  shares: number;
  /** Net shares of the entries at or after `recentAsOf` minus 60 days. */
  recentShares: number;
  recentAsOf: number;
  /** When `recentShares` took its value: the earlier wins a tie between challengers. */
  recentReachedAt: number;
}

export interface ModelPhoto {
  id: string;
  ownerId: string;
  brandId: string;
  duplicateOf: string | null;
  deleted: boolean;
  sharesAwarded: number;
  sharesWithheld: PhotoWithheld | null;
}

/** A comment body as GAME.md's comment rules see it. */
export interface ModelCommentBody {
  text: string;
  /** At least 3 visible characters. */
  visible: boolean;
  /** What makes two bodies one repeated comment. */
  canonical: string;
}

export interface ModelComment {
  id: string;
  authorId: string;
  photoId: string;
  body: ModelCommentBody;
  deleted: boolean;
  withheld: CommentWithheld | null;
}

export type SeatNotice = 'CEO_WON' | 'CEO_LOST';

export class GameModel {
  readonly photos: ModelPhoto[] = [];
  /** In the order posted. */
  readonly comments: ModelComment[] = [];
  /** In the order applied. */
  readonly entries: ModelEntry[] = [];
  private readonly byKey = new Map<string, ModelEntry>();
  private readonly employments = new Map<string, ModelEmployment>();
  private readonly seats = new Map<string, string | null>();
  /** `${userId}|${brandId}|${kind}` → how many. */
  readonly seatNotices = new Map<string, number>();
  /** How often a seat changed hands, and how often a daily run changed a seat: to see what runs reach. */
  readonly stats = {
    seatChanges: 0,
    seatChangesByRefresh: 0,
    flooredReversals: 0,
    tiesKeptByIncumbent: 0,
    tiesBetweenChallengers: 0,
  };

  constructor(
    readonly userIds: readonly string[],
    readonly brandIds: readonly string[],
    public now: number,
  ) {
    for (const brandId of brandIds) this.seats.set(brandId, null);
  }

  /** Moves the clock forward (never back). */
  moveTo(at: number): void {
    if (at < this.now) throw new Error(`the model's clock only moves forward (${at} < ${this.now})`);
    this.now = at;
  }

  employment(userId: string, brandId: string): ModelEmployment | undefined {
    return this.employments.get(`${userId}|${brandId}`);
  }

  allEmployments(): ModelEmployment[] {
    return [...this.employments.values()];
  }

  ceo(brandId: string): string | null {
    return this.seats.get(brandId) ?? null;
  }

  title(employment: ModelEmployment): Title {
    return this.ceo(employment.brandId) === employment.userId ? 'CEO' : titleForShares(employment.shares);
  }

  salary(employment: ModelEmployment): number {
    return salaryFor(this.title(employment), employment.shares);
  }

  entry(key: string): ModelEntry | undefined {
    return this.byKey.get(key);
  }

  // Causes

  /** A photo is published at `at`: +10, unless it is a duplicate or the day's 5 earning photos are taken. */
  publish(
    photo: Pick<ModelPhoto, 'id' | 'ownerId' | 'brandId' | 'duplicateOf'>,
    at: number,
  ): { sharesAwarded: number; sharesWithheld: PhotoWithheld | null } {
    let earning: { sharesAwarded: number; sharesWithheld: PhotoWithheld | null };
    if (photo.duplicateOf !== null) {
      earning = { sharesAwarded: 0, sharesWithheld: 'DUPLICATE' };
    } else if (
      this.earningOnDay(photo.ownerId, photo.brandId, 'PHOTO_PUBLISHED', at) >=
      GAME_RULES.caps.earningPhotosPerUserBrandDay
    ) {
      earning = { sharesAwarded: 0, sharesWithheld: 'DAILY_CAP' };
    } else {
      const entry = this.apply({
        key: `photo:${photo.id}`,
        userId: photo.ownerId,
        brandId: photo.brandId,
        shares: GAME_RULES.shares.photoPublished,
        reason: 'PHOTO_PUBLISHED',
        at,
      });
      earning = { sharesAwarded: entry.shares, sharesWithheld: null };
    }
    this.photos.push({ ...photo, deleted: false, ...earning });
    return earning;
  }

  /** The owner deletes the photo: what it earned is taken back (once). */
  deletePhoto(photoId: string, at: number): void {
    const photo = this.photos.find((p) => p.id === photoId);
    if (!photo) throw new Error(`no photo ${photoId} in the model`);
    photo.deleted = true;
    this.reverse(`photo:${photoId}`, at);
  }

  /**
   * A comment on a photo: +1 in the photo's brand unless it is on one's own photo, has fewer than 3
   * visible characters, repeats one of the author's last 20 comments (deleted ones included: they were
   * written), or the author's 20 earning comments of the UTC day (all brands) are taken.
   */
  comment(comment: Pick<ModelComment, 'id' | 'authorId' | 'photoId' | 'body'>, at: number): CommentWithheld | null {
    const photo = this.photos.find((p) => p.id === comment.photoId);
    if (!photo) throw new Error(`no photo ${comment.photoId} in the model`);
    const lastBodies = this.previousComments(comment.authorId).slice(0, GAME_RULES.comments.repeatWindow);
    let withheld: CommentWithheld | null = null;
    if (photo.ownerId === comment.authorId) withheld = 'OWN_PHOTO';
    else if (!comment.body.visible) withheld = 'TOO_SHORT';
    else if (lastBodies.some((earlier) => earlier.body.canonical === comment.body.canonical)) withheld = 'REPEAT';
    else if (
      this.earningOnDay(comment.authorId, null, 'COMMENT_POSTED', at) >= GAME_RULES.caps.earningCommentsPerUserDay
    ) {
      withheld = 'DAILY_CAP';
    }
    if (withheld === null) {
      this.apply({
        key: `comment:${comment.id}`,
        userId: comment.authorId,
        brandId: photo.brandId,
        shares: GAME_RULES.shares.commentPosted,
        reason: 'COMMENT_POSTED',
        at,
      });
    }
    this.comments.push({ ...comment, deleted: false, withheld });
    return withheld;
  }

  /** The author's comments, newest first. */
  previousComments(authorId: string): ModelComment[] {
    return this.comments.filter((c) => c.authorId === authorId).reverse();
  }

  deleteComment(commentId: string, at: number): void {
    const comment = this.comments.find((c) => c.id === commentId);
    if (!comment) throw new Error(`no comment ${commentId} in the model`);
    comment.deleted = true;
    this.reverse(`comment:${commentId}`, at);
  }

  /** An award's bonus, once per key. */
  award(key: string, userId: string, brandId: string, shares: number, at: number): void {
    this.apply({ key, userId, brandId, shares, reason: 'AWARD_BONUS', at });
  }

  /** Takes back exactly what the entry under `key` gave, once; nothing when it gave nothing or is unknown. */
  reverse(key: string, at: number): void {
    const earned = this.byKey.get(key);
    if (!earned || earned.shares === 0) return;
    this.apply({
      key: `reversal:${key}`,
      userId: earned.userId,
      brandId: earned.brandId,
      shares: -earned.shares,
      reason: 'REVERSAL',
      at,
    });
  }

  /**
   * The daily job at `now`: every window is taken again at `now` (a window whose entries all stay in it
   * keeps its count and the time it reached it), then every brand's seat is decided again.
   */
  refresh(now: number): void {
    this.moveTo(now);
    for (const employment of this.employments.values()) {
      const recent = this.windowSum(employment.userId, employment.brandId, now);
      if (recent !== employment.recentShares) employment.recentReachedAt = now;
      employment.recentShares = recent;
      employment.recentAsOf = now;
    }
    for (const brandId of this.brandIds) {
      if (this.decideSeat(brandId)) this.stats.seatChangesByRefresh++;
    }
  }

  // The ledger

  private apply(change: Omit<ModelEntry, 'requestedShares'>): ModelEntry {
    const existing = this.byKey.get(change.key);
    if (existing) return existing;
    this.moveTo(change.at);
    const before = this.employment(change.userId, change.brandId);
    // Never below 0: a larger reversal takes the balance to 0 and records what it took.
    const { balance: shares, applied } = applyDelta(before?.shares ?? 0, change.shares);
    const entry: ModelEntry = { ...change, shares: applied, requestedShares: change.shares };
    if (entry.shares !== entry.requestedShares) this.stats.flooredReversals++;
    this.entries.push(entry);
    this.byKey.set(entry.key, entry);
    const recentShares = this.windowSum(change.userId, change.brandId, change.at);
    this.employments.set(`${change.userId}|${change.brandId}`, {
      userId: change.userId,
      brandId: change.brandId,
      shares,
      recentShares,
      recentAsOf: change.at,
      recentReachedAt: before && before.recentShares === recentShares ? before.recentReachedAt : change.at,
    });
    // GAME.md: the seat changes in the same transaction as the entry that made the difference. The model
    // decides on every entry of the brand; the product only where the entry can sway it.
    this.decideSeat(change.brandId);
    return entry;
  }

  /** Net shares of the (user, brand) entries in the 60 days up to `asOf`, an entry exactly 60 days old included. */
  windowSum(userId: string, brandId: string, asOf: number): number {
    let sum = 0;
    for (const entry of this.entries) {
      if (entry.userId === userId && entry.brandId === brandId && entry.at >= asOf - WINDOW_MS && entry.at <= asOf) {
        sum += entry.shares;
      }
    }
    return sum;
  }

  /** Earning entries (shares > 0) of `reason` by the user in the UTC day of `at`, in one brand or (null) all. */
  private earningOnDay(userId: string, brandId: string | null, reason: ModelReason, at: number): number {
    const day = Math.floor(at / DAY_MS);
    return this.entries.filter(
      (entry) =>
        entry.userId === userId &&
        (brandId === null || entry.brandId === brandId) &&
        entry.reason === reason &&
        entry.shares > 0 &&
        Math.floor(entry.at / DAY_MS) === day,
    ).length;
  }

  /** Seats the brand's rightful CEO from the employments' recent shares; true when the seat moved. */
  private decideSeat(brandId: string): boolean {
    const incumbent = this.ceo(brandId);
    const candidates = this.allEmployments()
      .filter((employment) => employment.brandId === brandId)
      .map((employment) => ({
        userId: employment.userId,
        shares: employment.shares,
        recentShares: employment.recentShares,
        reachedRecentAt: new Date(employment.recentReachedAt),
      }));
    const winner = decideCeo(candidates, incumbent);
    const eligible = candidates.filter(
      (c) => c.shares >= GAME_RULES.ceo.minShares && c.recentShares >= GAME_RULES.ceo.minRecentShares,
    );
    const most = Math.max(...eligible.map((c) => c.recentShares));
    const leaders = eligible.filter((c) => c.recentShares === most);
    if (leaders.length > 1) {
      if (leaders.some((c) => c.userId === incumbent)) this.stats.tiesKeptByIncumbent++;
      else this.stats.tiesBetweenChallengers++;
    }
    if (winner === incumbent) return false;
    if (incumbent !== null) this.notice(incumbent, brandId, 'CEO_LOST');
    if (winner !== null) this.notice(winner, brandId, 'CEO_WON');
    this.seats.set(brandId, winner);
    this.stats.seatChanges++;
    return true;
  }

  private notice(userId: string, brandId: string, kind: SeatNotice): void {
    const key = `${userId}|${brandId}|${kind}`;
    this.seatNotices.set(key, (this.seatNotices.get(key) ?? 0) + 1);
  }
}
