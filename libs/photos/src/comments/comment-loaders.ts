import { Injectable } from '@nestjs/common';
import { requestLoader } from '@boardroom/core';
import { CommentsService } from './comments.service.js';

/** Comment counts of the photos of one response, in one grouped query. `context` is the GraphQL context. */
@Injectable()
export class CommentLoaders {
  constructor(private readonly comments: CommentsService) {}

  count(context: object, photoId: string): Promise<number> {
    return requestLoader(
      context,
      'photoCommentCounts',
      (ids) => this.comments.countByPhoto(ids),
      (row) => row.photoId,
    )
      .load(photoId)
      .then((row) => row?.count ?? 0);
  }
}
