import { Injectable } from '@nestjs/common';
import { requestLoader } from '@boardroom/core';
import type { PhotoRecord } from './photo.record.js';
import { PhotosService } from './photos.service.js';

/**
 * The photo lookups that nested fields of photo lists make (users and brands: `UsersService.loadById`,
 * `BrandsService.loadById`), batched per request (one query per kind of
 * lookup and response, however many photos the page has). `context` is the GraphQL context.
 */
@Injectable()
export class PhotoLoaders {
  constructor(private readonly photos: PhotosService) {}

  photo(context: object, id: string): Promise<PhotoRecord | null> {
    return requestLoader(
      context,
      'photos',
      (ids) => this.photos.findByIds(ids),
      (photo) => photo.id,
    ).load(id);
  }
}
