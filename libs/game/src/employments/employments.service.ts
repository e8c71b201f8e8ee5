import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  decodeCursor,
  invalidCursor,
  isTimestampText,
  isUuid,
  requestCount,
  requestLoader,
  serialPageStart,
} from '@boardroom/core';
import { UsersService, type Viewer } from '@boardroom/accounts';
import type { EmploymentRecord, LedgerEntryRecord } from '../ledger/ledger.types.js';
import { EmploymentsRepository, type BoardPageStart, type BoardRow } from './employments.repository.js';

function boardPageStart(after: string | null | undefined): BoardPageStart {
  if (!after) return null;
  const [shares, reachedKey, userId] = decodeCursor(after, 3);
  if (
    typeof shares !== 'number' ||
    !Number.isInteger(shares) ||
    !isTimestampText(reachedKey) ||
    typeof userId !== 'string' ||
    !isUuid(userId)
  ) {
    throw invalidCursor();
  }
  return [shares, reachedKey, userId];
}

/** Reading employments: leaderboards and ranks, a user's brands, the seat, a ledger. */
@Injectable()
export class EmploymentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly employments: EmploymentsRepository,
    private readonly users: UsersService,
  ) {}

  /**
   * `first + 1` rows of a brand's board after the cursor, with the rank of the first (one index-only
   * count): the others follow from their places.
   */
  async leaderboard(
    brandId: string,
    first: number,
    after: string | null | undefined,
  ): Promise<{ rows: BoardRow[]; firstRank: number }> {
    const start = boardPageStart(after);
    const rows = await this.employments.leaderboard(this.dataSource.manager, brandId, start, first + 1);
    const top = rows[0];
    const firstRank = start && top ? (await this.employments.ranks(this.dataSource.manager, [top.id]))[0]!.rank : 1;
    return { rows, firstRank };
  }

  /** An employment's rank now, batched over the employments of a response (one statement). */
  async rank(context: object, employmentId: string): Promise<number> {
    const ranked = await requestLoader(
      context,
      'employment-ranks',
      (ids) => this.employments.ranks(this.dataSource.manager, ids),
      (row) => row.id,
    ).load(employmentId);
    return ranked!.rank;
  }

  listByUser(userId: string, first: number, after: string | null | undefined): Promise<EmploymentRecord[]> {
    let start: [number, string] | null = null;
    if (after) {
      const [shares, brandId] = decodeCursor(after, 2);
      if (typeof shares !== 'number' || typeof brandId !== 'string' || !isUuid(brandId)) throw invalidCursor();
      start = [shares, brandId];
    }
    return this.employments.listByUser(this.dataSource.manager, userId, start, first + 1);
  }

  loadById(context: object, id: string): Promise<EmploymentRecord | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return requestLoader(
      context,
      'employments',
      (ids) => this.employments.findByIds(this.dataSource.manager, ids),
      (employment) => employment.id,
    ).load(id);
  }

  /** The brand's CEO, batched over the brands of a response. */
  loadCeo(context: object, brandId: string): Promise<EmploymentRecord | null> {
    return requestLoader(
      context,
      'brand-ceos',
      (ids) => this.employments.ceosOf(this.dataSource.manager, ids),
      (employment) => employment.brandId,
    ).load(brandId);
  }

  /** The viewer's employment in the brand, batched over the brands of a response. */
  loadMine(context: object, viewer: Viewer, brandId: string): Promise<EmploymentRecord | null> {
    return requestLoader(
      context,
      'my-employments',
      (ids) => this.employments.ofUserIn(this.dataSource.manager, viewer.id, ids),
      (employment) => employment.brandId,
    ).load(brandId);
  }

  employeeCount(context: object, brandId: string): Promise<number> {
    return requestCount(
      context,
      'employee-counts',
      (ids) => this.employments.employeeCounts(this.dataSource.manager, ids),
      (row) => row.brandId,
      brandId,
    );
  }

  /** `first + 1` entries, newest first; null when the viewer may not see this ledger. */
  ledger(
    viewer: Viewer | null,
    employment: EmploymentRecord,
    first: number,
    after: string | null | undefined,
  ): Promise<LedgerEntryRecord[]> | null {
    if (!this.users.canSeePrivate(viewer, { id: employment.userId })) return null;
    return this.employments.ledgerPage(this.dataSource.manager, employment, serialPageStart(after), first + 1);
  }

  loadEntry(context: object, id: string): Promise<LedgerEntryRecord | null> {
    return requestLoader(
      context,
      'ledger-entries',
      (ids) => this.employments.entriesByIds(this.dataSource.manager, ids),
      (entry) => entry.id,
    ).load(id);
  }
}
