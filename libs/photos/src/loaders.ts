import { Injectable } from '@nestjs/common';
import { requestLoader } from '@boardroom/core';
import { UsersService, type UserRecord } from '@boardroom/accounts';
import { BrandsService, type BrandRecord } from '@boardroom/brands';
import type { PhotoRecord } from './photo.record.js';
import { PhotosService } from './photos.service.js';

/**
 * The lookups that nested fields of photo lists make, batched per request (one query per kind of
 * lookup and response, however many photos the page has). `context` is the GraphQL context.
 */
@Injectable()
export class PhotoLoaders {
  constructor(
    private readonly users: UsersService,
    private readonly brands: BrandsService,
    private readonly photos: PhotosService,
  ) {}

  user(context: object, id: string): Promise<UserRecord | null> {
    return requestLoader(
      context,
      'users',
      (ids) => this.users.findByIds(ids),
      (user) => user.id,
    ).load(id);
  }

  brand(context: object, id: string): Promise<BrandRecord | null> {
    return requestLoader(
      context,
      'brands',
      (ids) => this.brands.findByIds(ids),
      (brand) => brand.id,
    ).load(id);
  }

  photo(context: object, id: string): Promise<PhotoRecord | null> {
    return requestLoader(
      context,
      'photos',
      (ids) => this.photos.findByIds(ids),
      (photo) => photo.id,
    ).load(id);
  }

  publishedCount(context: object, brandId: string): Promise<number> {
    return requestLoader(
      context,
      'brandPhotoCounts',
      (ids) => this.photos.countPublishedByBrand(ids),
      (row) => row.brandId,
    )
      .load(brandId)
      .then((row) => row?.count ?? 0);
  }
}
