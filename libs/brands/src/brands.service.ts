import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  DomainError,
  EventLog,
  decodeCursor,
  inTransaction,
  invalidCursor,
  requestLoader,
  type NewEvent,
} from '@boardroom/core';
import { Role, type Viewer } from '@boardroom/accounts';
import { fallbackSlug, firstFreeSlug, foldBrandName, slugBase, websiteDomain } from './brand-names.js';
import type { BrandRecord } from './brand.record.js';
import { BrandsRepository } from './brands.repository.js';
import type { CreateBrandInput } from './dto/create-brand.input.js';

/** Brands: creation without duplicates, search, managers. */
@Injectable()
export class BrandsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly brands: BrandsRepository,
    private readonly events: EventLog,
  ) {}

  /**
   * Creates a brand unless it already exists under a similar name or the same
   * website (CONFLICT DUPLICATE_BRAND with the candidates), or the user has
   * confirmed it is a different brand.
   */
  async create(
    input: CreateBrandInput,
    viewer: Viewer,
    fingerprints: Pick<NewEvent, 'networkFingerprint' | 'deviceFingerprint'>,
  ): Promise<BrandRecord> {
    const foldedName = foldBrandName(input.name);
    if (!foldedName)
      throw DomainError.badInput('A brand name needs letters or digits.', [
        { field: 'input.name', message: 'needs letters or digits' },
      ]);
    const domain = input.website ? this.domainOf(input.website) : null;
    return inTransaction(this.dataSource, async (manager) => {
      await this.brands.lockCreation(manager);
      const candidates = await this.brands.findDuplicates(manager, foldedName, domain);
      if (candidates.length > 0 && !input.confirmDistinct) {
        const first = candidates[0]!;
        throw DomainError.conflict(
          'DUPLICATE_BRAND',
          `"${input.name}" looks like the existing brand "${first.name}". Use it, or confirm that yours is a different brand.`,
          { existingSlug: first.slug, candidates },
        );
      }
      const base = slugBase(input.name) ?? fallbackSlug();
      const slug = firstFreeSlug(base, await this.brands.takenSlugs(manager, base));
      const brand = await this.brands.create(manager, {
        slug,
        name: input.name,
        foldedName,
        website: input.website ?? null,
        domain,
        description: input.description ?? null,
        createdBy: viewer.id,
      });
      const event = { actorId: viewer.id, brandId: brand.id, targetType: 'brand', targetId: brand.id, ...fingerprints };
      await this.events.record(manager, { ...event, action: 'brand.created', meta: { slug, name: brand.name } });
      if (candidates.length > 0) {
        // The user saw the candidates and insisted: the choice is evidence for moderation.
        await this.events.record(manager, {
          ...event,
          action: 'brand.distinct_confirmed',
          meta: { candidates: candidates.map((c) => ({ slug: c.slug, similarity: c.similarity })) },
        });
      }
      return brand;
    });
  }

  findBySlug(slug: string): Promise<BrandRecord | null> {
    return this.brands.findBySlug(this.dataSource.manager, slug);
  }

  /** `manager`: the caller's transaction, when it has one open. */
  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<BrandRecord | null> {
    return this.brands.findById(manager, id);
  }

  findByIds(ids: readonly string[]): Promise<BrandRecord[]> {
    return this.brands.findByIds(this.dataSource.manager, ids);
  }

  /** One brand through the request's loader: the brands a response names are read in one query. */
  loadById(context: object, id: string): Promise<BrandRecord | null> {
    return requestLoader(
      context,
      'brands',
      (ids) => this.findByIds(ids),
      (brand) => brand.id,
    ).load(id);
  }

  /** A page of brands, ranked by similarity to `search` when given; `first + 1` rows for pageInfo. */
  async search(search: string | null | undefined, first: number, after: string | null | undefined) {
    const foldedSearch = search ? foldBrandName(search) || null : null;
    const cursor = after ? decodeCursor(after, 3) : null;
    if (cursor && (typeof cursor[0] !== 'number' || typeof cursor[1] !== 'number' || typeof cursor[2] !== 'string')) {
      throw invalidCursor();
    }
    return this.brands.list(this.dataSource.manager, {
      foldedSearch,
      after: cursor ? [cursor[0] as number, cursor[1] as number, cursor[2] as string] : null,
      limit: first + 1,
    });
  }

  /** Inside the transaction that publishes a photo of the brand (+1) or takes a published one away (-1). */
  adjustPhotoCount(manager: EntityManager, photo: { brandId: string; ownerId: string }, delta: 1 | -1): Promise<void> {
    return this.brands.adjustPhotoCount(manager, photo, delta);
  }

  /** Inside the transaction that bans their owner: the published photos no longer count. */
  subtractPhotos(manager: EntityManager, brandId: string, count: number): Promise<void> {
    return this.brands.subtractPhotos(manager, brandId, count);
  }

  /** Whether the viewer manages the brand: one of its approved managers, or an administrator. */
  async canManage(viewer: Viewer, brandId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return viewer.roles.includes(Role.ADMIN) || this.brands.isManager(manager, brandId, viewer.id);
  }

  managerIds(brandId: string): Promise<string[]> {
    return this.brands.managerIds(this.dataSource.manager, brandId);
  }

  private domainOf(website: string): string {
    try {
      return websiteDomain(website);
    } catch {
      throw DomainError.badInput(`"${website}" is not a website address.`, [
        { field: 'input.website', message: 'must be an http(s) address such as nutella.com' },
      ]);
    }
  }
}
