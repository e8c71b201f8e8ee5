import { Injectable } from '@nestjs/common';
import { requestCount } from '@boardroom/core';
import type { FollowCountKind } from './follows.repository.js';
import { FollowsService } from './follows.service.js';

/** Follower and following counts of the users of one response, one grouped query per kind. */
@Injectable()
export class FollowLoaders {
  constructor(private readonly follows: FollowsService) {}

  count(context: object, of: FollowCountKind, userId: string): Promise<number> {
    return requestCount(
      context,
      `follow-counts:${of}`,
      (ids) => this.follows.count(of, ids),
      (row) => row.userId,
      userId,
    );
  }
}
