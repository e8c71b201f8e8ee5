import { Module } from '@nestjs/common';
import { AccountsModule } from '@boardroom/accounts';
import { BrandsModule } from '@boardroom/brands';
import { NotificationsModule } from '@boardroom/notifications';
import { OfferUnlocks } from './offer-unlocks.js';
import { BrandOffersResolver, OffersResolver, RedemptionsResolver } from './offers.resolver.js';
import { OffersService } from './offers.service.js';
import { BrandProposalsResolver, ProposalsResolver } from './proposals.resolver.js';
import { ProposalsRepository } from './proposals.repository.js';
import { ProposalsService } from './proposals.service.js';
import { RewardsRepository } from './rewards.repository.js';

/** Brand offers and their redemptions, the notice that a title unlocked an offer, and employees' proposals. */
@Module({
  imports: [AccountsModule, BrandsModule, NotificationsModule],
  providers: [
    RewardsRepository,
    OffersService,
    OfferUnlocks,
    OffersResolver,
    RedemptionsResolver,
    BrandOffersResolver,
    ProposalsRepository,
    ProposalsService,
    ProposalsResolver,
    BrandProposalsResolver,
  ],
  exports: [OffersService, ProposalsService],
})
export class RewardsModule {}
