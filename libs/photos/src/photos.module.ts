import { Module } from '@nestjs/common';
import { AccountsModule } from '@boardroom/accounts';
import { BrandsModule } from '@boardroom/brands';
import { ImagePipeline } from '@boardroom/media';
import { NotificationsModule } from '@boardroom/notifications';
import { CommentLoaders } from './comments/comment-loaders.js';
import { CommentsRepository } from './comments/comments.repository.js';
import { CommentsResolver, PhotoCommentsResolver } from './comments/comments.resolver.js';
import { CommentsService } from './comments/comments.service.js';
import { FollowLoaders } from './follows/follow-loaders.js';
import { FollowsRepository } from './follows/follows.repository.js';
import { FollowsResolver } from './follows/follows.resolver.js';
import { FollowsService } from './follows/follows.service.js';
import { PhotoLoaders } from './loaders.js';
import { PhotoCountCheck } from './photo-count.check.js';
import { PhotosRepository } from './photos.repository.js';
import { BrandPhotosResolver, PhotosResolver, UserPhotosResolver } from './photos.resolver.js';
import { PhotosService } from './photos.service.js';
import { PhotoProcessor } from './processing/photo-processor.js';
import { PhotoUploadService } from './uploads/photo-upload.service.js';

/** Photo uploads and their processing, the photo pages and the feed, comments and follows. */
@Module({
  imports: [AccountsModule, BrandsModule, NotificationsModule],
  providers: [
    ImagePipeline,
    PhotosRepository,
    PhotosService,
    PhotoUploadService,
    PhotoProcessor,
    PhotoLoaders,
    PhotoCountCheck,
    PhotosResolver,
    BrandPhotosResolver,
    UserPhotosResolver,
    CommentsRepository,
    CommentsService,
    CommentLoaders,
    CommentsResolver,
    PhotoCommentsResolver,
    FollowsRepository,
    FollowsService,
    FollowLoaders,
    FollowsResolver,
  ],
  exports: [PhotosService, PhotoLoaders, PhotoUploadService, CommentsService, FollowsService],
})
export class PhotosModule {}
