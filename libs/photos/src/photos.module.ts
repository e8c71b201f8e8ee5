import { Module } from '@nestjs/common';
import { AccountsModule } from '@boardroom/accounts';
import { BrandsModule } from '@boardroom/brands';
import { ImagePipeline } from '@boardroom/media';
import { PhotoLoaders } from './loaders.js';
import { PhotosRepository } from './photos.repository.js';
import { BrandPhotosResolver, PhotosResolver, UserPhotosResolver } from './photos.resolver.js';
import { PhotosService } from './photos.service.js';
import { PhotoProcessor } from './processing/photo-processor.js';
import { PhotoUploadService } from './uploads/photo-upload.service.js';

/** Photo uploads and their processing, the photo pages and the feed, comments and follows. */
@Module({
  imports: [AccountsModule, BrandsModule],
  providers: [
    ImagePipeline,
    PhotosRepository,
    PhotosService,
    PhotoUploadService,
    PhotoProcessor,
    PhotoLoaders,
    PhotosResolver,
    BrandPhotosResolver,
    UserPhotosResolver,
  ],
  exports: [PhotosService, PhotoLoaders],
})
export class PhotosModule {}
