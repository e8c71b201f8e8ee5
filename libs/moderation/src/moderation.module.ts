import { Module } from '@nestjs/common';
import { AccountsModule } from '@boardroom/accounts';
import { AnalyticsModule } from '@boardroom/analytics';
import { BrandsModule } from '@boardroom/brands';
import { GameModule } from '@boardroom/game';
import { NotificationsModule } from '@boardroom/notifications';
import { PhotosModule } from '@boardroom/photos';
import { AccountErasureResolver } from './erasure/account-erasure.resolver.js';
import { AccountErasure } from './erasure/account-erasure.service.js';
import { ErasureRepository } from './erasure/erasure.repository.js';
import { CreditReviewsResolver } from './holds/credit-reviews.resolver.js';
import { CreditReviews } from './holds/credit-reviews.service.js';
import { ModerationDecisions } from './moderation-decisions.js';
import { ModerationQueueCheck } from './moderation-queue.check.js';
import { ModerationRepository } from './moderation.repository.js';
import { AuditEntryResolver, ModerationResolver } from './moderation.resolver.js';
import { ModerationService } from './moderation.service.js';

/** Reports and the moderation queue, moderators' decisions and bans, credit holds and appeals, and the audit log. */
@Module({
  imports: [AccountsModule, BrandsModule, PhotosModule, GameModule, AnalyticsModule, NotificationsModule],
  providers: [
    ModerationRepository,
    ModerationDecisions,
    ModerationService,
    ModerationQueueCheck,
    ModerationResolver,
    AuditEntryResolver,
    CreditReviews,
    CreditReviewsResolver,
    ErasureRepository,
    AccountErasure,
    AccountErasureResolver,
  ],
  exports: [CreditReviews],
})
export class ModerationModule {}
