import type { OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import {
  ConnectionArgs,
  NodeRegistry,
  RateLimit,
  connectionFromRows,
  localIdOf,
  type Connection,
} from '@boardroom/core';
import {
  Authenticated,
  Client,
  CurrentUser,
  UserDto,
  UsersService,
  type ClientInfo,
  type Viewer,
} from '@boardroom/accounts';
import { PhotoDto } from '../dto/photo.dto.js';
import { PhotoLoaders } from '../loaders.js';
import { CommentLoaders } from './comment-loaders.js';
import { CommentsService } from './comments.service.js';
import { CommentConnection, CommentDto } from './dto/comment.dto.js';

@Resolver(() => CommentDto)
export class CommentsResolver implements OnModuleInit {
  constructor(
    private readonly comments: CommentsService,
    private readonly loaders: PhotoLoaders,
    private readonly users: UsersService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Comment', CommentDto, async (id, context) => {
      const comment = await this.comments.findVisible((context.user as Viewer | null) ?? null, id);
      return comment ? CommentDto.from(comment) : null;
    });
  }

  @Mutation(() => CommentDto, {
    description: 'On a published photo; the body is trimmed and must then have 1 to 2000 characters.',
  })
  @Authenticated()
  @RateLimit('comments')
  async commentOnPhoto(
    @Args('photoId', { type: () => ID }) photoId: string,
    @Args('body') body: string,
    @CurrentUser() viewer: Viewer,
    @Client() client: ClientInfo,
  ): Promise<CommentDto> {
    return CommentDto.from(await this.comments.post(viewer, localIdOf('Photo', photoId, 'photoId'), body, client));
  }

  @Mutation(() => Boolean, { description: 'The author only; the comment disappears everywhere.' })
  @Authenticated()
  async deleteComment(
    @Args('id', { type: () => ID }) id: string,
    @CurrentUser() viewer: Viewer,
    @Client() client: ClientInfo,
  ): Promise<boolean> {
    await this.comments.delete(viewer, localIdOf('Comment', id), client);
    return true;
  }

  @ResolveField(() => UserDto)
  async author(@Parent() comment: CommentDto, @Context() context: object): Promise<UserDto> {
    return UserDto.from((await this.users.loadById(context, comment.record.authorId))!);
  }

  @ResolveField(() => PhotoDto)
  async photo(@Parent() comment: CommentDto, @Context() context: object): Promise<PhotoDto> {
    return PhotoDto.from((await this.loaders.photo(context, comment.record.photoId))!);
  }
}

/** The comment fields of Photo. */
@Resolver(() => PhotoDto)
export class PhotoCommentsResolver {
  constructor(
    private readonly commentsService: CommentsService,
    private readonly loaders: CommentLoaders,
  ) {}

  @ResolveField(() => CommentConnection, { description: 'Oldest first.' })
  async comments(@Parent() photo: PhotoDto, @Args() args: ConnectionArgs): Promise<Connection<CommentDto>> {
    const rows = await this.commentsService.listByPhoto(photo.record.id, args.first, args.after);
    return connectionFromRows(
      rows,
      args,
      (row) => [row.sortKey, row.id],
      (row) => CommentDto.from(row),
    );
  }

  @ResolveField(() => Int, { description: 'Comments not deleted.' })
  commentCount(@Parent() photo: PhotoDto, @Context() context: object): Promise<number> {
    return this.loaders.count(context, photo.record.id);
  }
}
