import { Injectable } from '@nestjs/common';
import { requestCount } from '@boardroom/core';
import { CommentsService } from './comments.service.js';

/** Comment counts of the photos of one response, in one grouped query. `context` is the GraphQL context. */
@Injectable()
export class CommentLoaders {
  constructor(private readonly comments: CommentsService) {}

  count(context: object, photoId: string): Promise<number> {
    return requestCount(
      context,
      'photoCommentCounts',
      (ids) => this.comments.countByPhoto(ids),
      (row) => row.photoId,
      photoId,
    );
  }
}
