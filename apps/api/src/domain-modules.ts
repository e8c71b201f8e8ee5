import type { Type } from '@nestjs/common';
import { AccountsModule } from '@boardroom/accounts';
import { AnalyticsModule, AuthenticityReportModule } from '@boardroom/analytics';
import { AwardsModule } from '@boardroom/awards';
import { BrandsModule } from '@boardroom/brands';
import { GameModule } from '@boardroom/game';
import { ModerationModule } from '@boardroom/moderation';
import { NotificationsModule } from '@boardroom/notifications';
import { PhotosModule } from '@boardroom/photos';
import { ResearchModule } from '@boardroom/research';
import { RewardsModule } from '@boardroom/rewards';

/**
 * The domain libs (accounts, brands, photos, game, …), shared by the api and the
 * worker so that both know every resolver's services and every job handler.
 */
export const DOMAIN_MODULES: Type[] = [
  AccountsModule,
  BrandsModule,
  PhotosModule,
  NotificationsModule,
  GameModule,
  AwardsModule,
  RewardsModule,
  ModerationModule,
  AnalyticsModule,
  AuthenticityReportModule,
  ResearchModule,
];
