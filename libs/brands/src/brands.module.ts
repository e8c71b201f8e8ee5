import { Module } from '@nestjs/common';
import { AccountsModule } from '@boardroom/accounts';
import { BrandsRepository } from './brands.repository.js';
import { BrandsResolver } from './brands.resolver.js';
import { BrandsService } from './brands.service.js';
import { BrandCampaignsResolver, CampaignsResolver } from './campaigns/campaigns.resolver.js';
import { CampaignsRepository } from './campaigns/campaigns.repository.js';
import { CampaignsService } from './campaigns/campaigns.service.js';
import { ClaimsRepository } from './claims/claims.repository.js';
import { ClaimsResolver } from './claims/claims.resolver.js';
import { ClaimsService } from './claims/claims.service.js';

/** Brands without duplicates, their claims, managers and declared campaigns. */
@Module({
  imports: [AccountsModule],
  providers: [
    BrandsRepository,
    BrandsService,
    BrandsResolver,
    ClaimsRepository,
    ClaimsService,
    ClaimsResolver,
    CampaignsRepository,
    CampaignsService,
    CampaignsResolver,
    BrandCampaignsResolver,
  ],
  exports: [BrandsService, CampaignsService],
})
export class BrandsModule {}
