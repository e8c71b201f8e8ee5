import { Module } from '@nestjs/common';
import { AccountsModule } from '@boardroom/accounts';
import { BrandsModule } from '@boardroom/brands';
import { GameModule } from '@boardroom/game';
import { PhotosModule } from '@boardroom/photos';
import { ModerationQueueCheck } from './moderation-queue.check.js';
import { ModerationRepository } from './moderation.repository.js';
import { AuditEntryResolver, ModerationResolver } from './moderation.resolver.js';
import { ModerationService } from './moderation.service.js';

/** Reports and the moderation queue, moderators' decisions and bans, and the audit log. */
@Module({
  imports: [AccountsModule, BrandsModule, PhotosModule, GameModule],
  providers: [ModerationRepository, ModerationService, ModerationQueueCheck, ModerationResolver, AuditEntryResolver],
})
export class ModerationModule {}
