import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EmploymentRecord } from '../ledger/ledger.types.js';
import { GameNotices } from '../notices/game-notices.js';
import { decideCeo, salaryFor, titleForShares, type CeoCandidate } from '../rules.js';
import { CeoSeatRepository } from './ceo-seat.repository.js';

const candidate = (employment: EmploymentRecord): CeoCandidate => ({
  userId: employment.userId,
  shares: employment.shares,
  recentShares: employment.recentShares,
  reachedRecentAt: employment.recentReachedAt,
});

/**
 * One CEO per brand (GAME.md): decided under the brand's seat lock from the committed employments and the
 * caller's own writes. Every change that can sway the seat takes the lock first (see `matters`), so a
 * decision never reads a standing that another transaction is about to change without deciding again.
 */
@Injectable()
export class CeoSeat {
  constructor(
    private readonly seats: CeoSeatRepository,
    private readonly notices: GameNotices,
  ) {}

  /**
   * Decides again, in the caller's transaction, every seat the user holds: after a ban, which makes the
   * incumbent no candidate, the seat moves at once (or stays vacant) and both sides are told.
   */
  async decideSeatsHeldBy(manager: EntityManager, userId: string, at: Date): Promise<void> {
    // Brand by brand in id order, as the ids come: two such calls take the seat locks in one order.
    for (const brandId of await this.seats.brandsSeatedBy(manager, userId)) {
      await this.lock(manager, brandId);
      await this.decide(manager, brandId, at);
    }
  }

  lock(manager: EntityManager, brandId: string): Promise<void> {
    return this.seats.lockSeat(manager, brandId);
  }

  /**
   * Seats the brand's rightful CEO (the caller holds the seat lock): the former falls back to the title
   * of their shares, and both are told. Nothing happens when the incumbent keeps the seat.
   */
  async decide(manager: EntityManager, brandId: string, at: Date): Promise<void> {
    const incumbent = await this.seats.findIncumbent(manager, brandId);
    const best = await this.seats.bestCandidate(manager, brandId);
    // A banned incumbent is no candidate: the seat goes to the best other, or stays vacant.
    const candidates = [best, incumbent?.banned ? null : incumbent].filter((e): e is EmploymentRecord => e !== null);
    const winnerId = decideCeo(candidates.map(candidate), incumbent?.userId ?? null);
    if (winnerId === (incumbent?.userId ?? null)) return;
    // A ban of the winner committed since the candidates were read: decide again, without them.
    if (winnerId && !(await this.seats.lockEligible(manager, winnerId))) return this.decide(manager, brandId, at);

    let lost: EmploymentRecord | null = null;
    if (incumbent) {
      // Vacated first: the unique index allows one CEO per brand at every statement.
      const title = titleForShares(incumbent.shares);
      lost = { ...incumbent, title, salary: salaryFor(title, incumbent.shares) };
      await this.seats.setTitle(manager, lost.id, lost.title, lost.salary);
    }
    let won: EmploymentRecord | null = null;
    const winner = candidates.find((employment) => employment.userId === winnerId);
    if (winner) {
      won = { ...winner, title: 'CEO', salary: salaryFor('CEO', winner.shares) };
      await this.seats.setTitle(manager, won.id, won.title, won.salary);
    }
    await this.notices.seatChanged(manager, brandId, { won, lost, lostBanned: incumbent?.banned ?? false }, at);
  }
}
