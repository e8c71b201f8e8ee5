import { Module } from '@nestjs/common';
import { AccountsModule } from '@boardroom/accounts';
import { BrandsModule } from '@boardroom/brands';
import { NotificationsModule } from '@boardroom/notifications';
import { OfferUnlocks } from './offer-unlocks.js';
import { BrandOffersResolver, OffersResolver, RedemptionsResolver } from './offers.resolver.js';
import { OffersService } from './offers.service.js';
import { RewardsRepository } from './rewards.repository.js';

/** Brand offers and their redemptions, and the notice that a title unlocked an offer. */
@Module({
  imports: [AccountsModule, BrandsModule, NotificationsModule],
  providers: [RewardsRepository, OffersService, OfferUnlocks, OffersResolver, RedemptionsResolver, BrandOffersResolver],
  exports: [OffersService],
})
export class RewardsModule {}
