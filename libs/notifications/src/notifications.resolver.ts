import type { OnModuleInit } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { ConnectionArgs, NodeRegistry, connectionFromRows, localIdOf, type Connection } from '@boardroom/core';
import { Authenticated, CurrentUser, UserDto, type Viewer } from '@boardroom/accounts';
import { BrandDto, BrandsService } from '@boardroom/brands';
import { NotificationConnection, NotificationDto } from './dto/notification.dto.js';
import type { NotificationRecord } from './notification.record.js';
import { NotificationsService } from './notifications.service.js';

@Resolver(() => NotificationDto)
export class NotificationsResolver implements OnModuleInit {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly brands: BrandsService,
    private readonly nodes: NodeRegistry,
  ) {}

  onModuleInit(): void {
    this.nodes.register('Notification', NotificationDto, async (id, context) => {
      const viewer = context.user as Viewer | null | undefined;
      const found = viewer ? await this.notifications.findOwn(viewer.id, id) : null;
      return found ? NotificationDto.from(found) : null;
    });
  }

  @Mutation(() => Int, {
    description:
      "Marks the caller's notifications among ids read; returns how many were unread. Others' ids mark nothing.",
  })
  @Authenticated()
  markNotificationsRead(
    @Args('ids', { type: () => [ID] }) ids: string[],
    @CurrentUser() viewer: Viewer,
  ): Promise<number> {
    return this.notifications.markRead(
      viewer.id,
      ids.map((id) => localIdOf('Notification', id, 'ids')),
    );
  }

  @Subscription(() => NotificationDto, {
    name: 'myEvents',
    description:
      "The caller's notifications, as they happen (graphql-ws; send the access token in connectionParams.authorization). Completes when that token expires: subscribe again with a fresh one.",
    // Through Redis the record arrives as JSON: its dates are strings again.
    resolve: (record: NotificationRecord) =>
      NotificationDto.from({
        ...record,
        createdAt: new Date(record.createdAt),
        readAt: record.readAt ? new Date(record.readAt) : null,
      }),
  })
  @Authenticated()
  myEvents(@CurrentUser() viewer: Viewer): AsyncIterableIterator<NotificationRecord> {
    return this.notifications.live(viewer.id, viewer.accessExpiresAt);
  }

  @ResolveField(() => BrandDto, { nullable: true })
  async brand(@Parent() notification: NotificationDto, @Context() context: object): Promise<BrandDto | null> {
    const brandId = notification.record.brandId;
    const brand = brandId ? await this.brands.loadById(context, brandId) : null;
    return brand ? BrandDto.from(brand) : null;
  }
}

@Resolver(() => UserDto)
export class UserNotificationsResolver {
  constructor(private readonly notificationsService: NotificationsService) {}

  @ResolveField(() => NotificationConnection, {
    nullable: true,
    description: "The user's own notifications, newest first; null for anyone else.",
  })
  async notifications(
    @Parent() user: UserDto,
    @Args() args: ConnectionArgs,
    @Args('unreadOnly', { type: () => Boolean, nullable: true, defaultValue: false }) unreadOnly: boolean,
    @CurrentUser() viewer: Viewer | null,
  ): Promise<Connection<NotificationDto> | null> {
    if (viewer?.id !== user.record.id) return null;
    const rows = await this.notificationsService.list(viewer.id, {
      unreadOnly: Boolean(unreadOnly),
      after: args.after,
      limit: args.first + 1,
    });
    return connectionFromRows(
      rows,
      args,
      (row) => [row.sortKey, row.id],
      (row) => NotificationDto.from(row),
    );
  }
}
