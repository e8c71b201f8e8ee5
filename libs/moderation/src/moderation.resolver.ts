import type { OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  ConnectionArgs,
  NodeRegistry,
  RateLimit,
  connectionFromRows,
  localIdOf,
  type Connection,
} from '@boardroom/core';
import { Authenticated, CurrentUser, Role, Roles, UserDto, UsersService, type Viewer } from '@boardroom/accounts';
import { BrandDto, BrandsService } from '@boardroom/brands';
import { CommentDto, CommentsService, PhotoDto, PhotoLoaders, PhotosService } from '@boardroom/photos';
import {
  AuditEntryConnection,
  AuditEntryDto,
  ReportReasonEnum,
  ReportTargetEnum,
  ReportedItemConnection,
  ReportedItemDto,
} from './dto/moderation.dto.js';
import { ModerationService } from './moderation.service.js';
import { TARGET_TYPE_NAMES, type ReportReason, type ReportTarget } from './moderation.types.js';

/** Moderators' work: ADMIN holds every moderator power too, as it sees every photo state. */
const MODERATORS = [Role.MODERATOR, Role.ADMIN] as const;

@Resolver(() => ReportedItemDto)
export class ModerationResolver implements OnModuleInit {
  constructor(
    private readonly moderation: ModerationService,
    private readonly photos: PhotosService,
    private readonly photoLoaders: PhotoLoaders,
    private readonly comments: CommentsService,
    private readonly users: UsersService,
    private readonly brands: BrandsService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('AuditEntry', AuditEntryDto, async (id, context) => {
      const viewer = (context.user as Viewer | null) ?? null;
      if (!viewer?.roles.includes(Role.ADMIN)) return null;
      const entry = await this.moderation.findAuditEntry(id);
      return entry ? AuditEntryDto.from(entry) : null;
    });
  }

  @Mutation(() => Boolean, {
    description: 'One report per user and target: reporting again is accepted and changes nothing. Rate-limited.',
  })
  @Authenticated()
  @RateLimit('reports')
  reportContent(
    @Args('target', { type: () => ReportTargetEnum }) target: ReportTarget,
    @Args('targetId', { type: () => ID }) targetId: string,
    @Args('reason', { type: () => ReportReasonEnum }) reason: ReportReason,
    @Args('details', { type: () => String, nullable: true }) details: string | null,
    @CurrentUser() viewer: Viewer,
  ): Promise<boolean> {
    return this.moderation.report(
      viewer,
      target,
      localIdOf(TARGET_TYPE_NAMES[target], targetId, 'targetId'),
      reason,
      details,
    );
  }

  @Query(() => ReportedItemConnection, {
    description: 'MODERATOR. Targets with open reports, most reported first, then the latest report.',
  })
  @Roles(...MODERATORS)
  async moderationQueue(@Args() args: ConnectionArgs): Promise<Connection<ReportedItemDto>> {
    const rows = await this.moderation.queue(args.first, args.after);
    return connectionFromRows(
      rows,
      args,
      (row) => [row.reportCount, row.lastReportedKey, row.targetType, row.targetId],
      (row) => ReportedItemDto.from(row),
    );
  }

  @Mutation(() => Boolean, { description: 'MODERATOR. Closes the open reports on a target without acting on it.' })
  @Roles(...MODERATORS)
  async dismissReports(
    @Args('target', { type: () => ReportTargetEnum }) target: ReportTarget,
    @Args('targetId', { type: () => ID }) targetId: string,
    @CurrentUser() moderator: Viewer,
  ): Promise<boolean> {
    return this.moderation.dismissReports(
      moderator,
      target,
      localIdOf(TARGET_TYPE_NAMES[target], targetId, 'targetId'),
    );
  }

  @Mutation(() => PhotoDto, { description: 'MODERATOR. Hides a published photo and reverses its shares.' })
  @Roles(...MODERATORS)
  async removePhoto(
    @Args('id', { type: () => ID }) id: string,
    @Args('reason') reason: string,
    @CurrentUser() moderator: Viewer,
  ): Promise<PhotoDto> {
    return PhotoDto.from(await this.moderation.removePhoto(moderator, localIdOf('Photo', id), reason));
  }

  @Mutation(() => PhotoDto, { description: 'MODERATOR. Publishes a removed photo again and gives its shares back.' })
  @Roles(...MODERATORS)
  async restorePhoto(@Args('id', { type: () => ID }) id: string, @CurrentUser() moderator: Viewer): Promise<PhotoDto> {
    return PhotoDto.from(await this.moderation.restorePhoto(moderator, localIdOf('Photo', id)));
  }

  @Mutation(() => Boolean, { description: 'MODERATOR. Hides a comment and reverses its share.' })
  @Roles(...MODERATORS)
  async removeComment(
    @Args('id', { type: () => ID }) id: string,
    @Args('reason') reason: string,
    @CurrentUser() moderator: Viewer,
  ): Promise<boolean> {
    await this.moderation.removeComment(moderator, localIdOf('Comment', id), reason);
    return true;
  }

  @Mutation(() => UserDto, {
    description:
      'MODERATOR. Ends the sessions, hides the content and re-decides the CEO seats of a user; never an admin.',
  })
  @Roles(...MODERATORS)
  async banUser(
    @Args('handle') handle: string,
    @Args('reason') reason: string,
    @CurrentUser() moderator: Viewer,
  ): Promise<UserDto> {
    return UserDto.from(await this.moderation.banUser(moderator, handle, reason));
  }

  @Query(() => AuditEntryConnection, { description: 'ADMIN. Privileged actions, newest first.' })
  @Roles(Role.ADMIN)
  async auditLog(@Args() args: ConnectionArgs): Promise<Connection<AuditEntryDto>> {
    const rows = await this.moderation.auditLog(args.first, args.after);
    return connectionFromRows(
      rows,
      args,
      (row) => [row.id],
      (row) => AuditEntryDto.from(row),
    );
  }

  @ResolveField(() => PhotoDto, { nullable: true, description: 'When the target is a photo.' })
  async photo(
    @Parent() item: ReportedItemDto,
    @Context() context: object,
    @CurrentUser() viewer: Viewer | null,
  ): Promise<PhotoDto | null> {
    if (item.record.targetType !== 'PHOTO') return null;
    const photo = await this.photoLoaders.photo(context, item.record.targetId);
    return photo && this.photos.canSee(viewer, photo) ? PhotoDto.from(photo) : null;
  }

  @ResolveField(() => CommentDto, { nullable: true, description: 'When the target is a comment.' })
  async comment(@Parent() item: ReportedItemDto, @CurrentUser() viewer: Viewer | null): Promise<CommentDto | null> {
    if (item.record.targetType !== 'COMMENT') return null;
    const comment = await this.comments.findVisible(viewer, item.record.targetId);
    return comment ? CommentDto.from(comment) : null;
  }

  @ResolveField(() => UserDto, { nullable: true, description: 'When the target is a user.' })
  async user(@Parent() item: ReportedItemDto, @Context() context: object): Promise<UserDto | null> {
    if (item.record.targetType !== 'USER') return null;
    const user = await this.users.loadById(context, item.record.targetId);
    return user ? UserDto.from(user) : null;
  }

  @ResolveField(() => BrandDto, { nullable: true, description: 'When the target is a brand.' })
  async brand(@Parent() item: ReportedItemDto, @Context() context: object): Promise<BrandDto | null> {
    if (item.record.targetType !== 'BRAND') return null;
    const brand = await this.brands.loadById(context, item.record.targetId);
    return brand ? BrandDto.from(brand) : null;
  }
}

@Resolver(() => AuditEntryDto)
export class AuditEntryResolver {
  constructor(private readonly users: UsersService) {}

  @ResolveField(() => UserDto, { nullable: true, description: 'Null for an operator at the command line.' })
  async actor(@Parent() entry: AuditEntryDto, @Context() context: object): Promise<UserDto | null> {
    const user = entry.record.actorId ? await this.users.loadById(context, entry.record.actorId) : null;
    return user ? UserDto.from(user) : null;
  }
}
