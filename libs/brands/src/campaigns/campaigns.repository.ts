import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '@boardroom/core';
import type { CampaignRecord } from './campaign.record.js';

interface CampaignRow {
  id: string;
  brand_id: string;
  name: string;
  starts_at: Date;
  ends_at: Date;
  created_by: string;
  created_at: Date;
}

const COLUMNS = 'id, brand_id, name, starts_at, ends_at, created_by, created_at';

const toRecord = (row: CampaignRow): CampaignRecord => ({
  id: row.id,
  brandId: row.brand_id,
  name: row.name,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

/** All SQL on `campaigns`. */
@Injectable()
export class CampaignsRepository {
  async create(
    manager: EntityManager,
    campaign: Omit<CampaignRecord, 'id' | 'createdAt'>,
    at: Date,
  ): Promise<CampaignRecord> {
    const [row] = await queryRows<CampaignRow>(
      manager,
      `INSERT INTO campaigns (brand_id, name, starts_at, ends_at, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [campaign.brandId, campaign.name, campaign.startsAt, campaign.endsAt, campaign.createdBy, at],
    );
    return toRecord(row!);
  }

  async findById(manager: EntityManager, id: string): Promise<CampaignRecord | null> {
    const [row] = await queryRows<CampaignRow>(manager, `SELECT ${COLUMNS} FROM campaigns WHERE id = $1`, [id]);
    return row ? toRecord(row) : null;
  }

  /** A page of the brand's campaigns, latest start first; `after` is the (starts_at, id) of the last row seen. */
  async listByBrand(
    manager: EntityManager,
    brandId: string,
    after: [string, string] | null,
    limit: number,
  ): Promise<CampaignRecord[]> {
    const rows = await queryRows<CampaignRow>(
      manager,
      `SELECT ${COLUMNS} FROM campaigns
        WHERE brand_id = $1 AND ($2::timestamptz IS NULL OR (starts_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY starts_at DESC, id DESC
        LIMIT $4`,
      [brandId, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    return rows.map(toRecord);
  }
}
