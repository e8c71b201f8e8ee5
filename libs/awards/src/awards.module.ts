import { Module } from '@nestjs/common';
import { AccountsModule } from '@boardroom/accounts';
import { BrandsModule } from '@boardroom/brands';
import { NotificationsModule } from '@boardroom/notifications';
import { AwardGrants } from './award-grants.js';
import { AwardsEngine } from './awards-engine.js';
import { AwardsRepository } from './awards.repository.js';
import { AwardsResolver, UserAwardsResolver } from './awards.resolver.js';
import { AwardsService } from './awards.service.js';
import { InviteQualifier } from './invite-qualifier.js';

/**
 * Awards (declared in the rules, evaluated from the events log by a standing consumer, listed on users)
 * and the qualification of invites, which pays and counts towards RECRUITER.
 */
@Module({
  imports: [AccountsModule, BrandsModule, NotificationsModule],
  providers: [
    AwardsRepository,
    AwardsService,
    AwardGrants,
    AwardsEngine,
    InviteQualifier,
    AwardsResolver,
    UserAwardsResolver,
  ],
  exports: [AwardsEngine],
})
export class AwardsModule {}
