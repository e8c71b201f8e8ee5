import { Module } from '@nestjs/common';
import { BrandsModule } from '@boardroom/brands';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsResolver, UserNotificationsResolver } from './notifications.resolver.js';
import { NotificationsService } from './notifications.service.js';

/** Stored notifications, listed on `User.notifications`; the game and later libs write them. */
@Module({
  imports: [BrandsModule],
  providers: [NotificationsRepository, NotificationsService, NotificationsResolver, UserNotificationsResolver],
  exports: [NotificationsService],
})
export class NotificationsModule {}
