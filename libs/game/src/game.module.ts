import { Global, Module } from '@nestjs/common';
import { AccountsModule } from '@boardroom/accounts';
import { BrandsModule } from '@boardroom/brands';
import { NotificationsModule } from '@boardroom/notifications';
import { PhotoEarnings, PhotosModule } from '@boardroom/photos';
import { EmploymentsRepository } from './employments/employments.repository.js';
import {
  BrandEmploymentsResolver,
  EmploymentsResolver,
  LedgerEntriesResolver,
  UserEmploymentsResolver,
} from './employments/employments.resolver.js';
import { EmploymentsService } from './employments/employments.service.js';
import { CreditHoldsRepository } from './holds/credit-holds.repository.js';
import { CreditHolds } from './holds/credit-holds.js';
import { GameLedgerCheck } from './ledger/game-ledger.check.js';
import { ShareLedgerRepository } from './ledger/share-ledger.repository.js';
import { ShareLedger } from './ledger/share-ledger.service.js';
import { GameNotices } from './notices/game-notices.js';
import { Payroll } from './payroll/payroll.js';
import { PhotoAwards } from './photo-awards.js';
import { CeoSeatRepository } from './seat/ceo-seat.repository.js';
import { CeoSeat } from './seat/ceo-seat.js';
import { SeatRefresh } from './seat/seat-refresh.js';
import { WalletRepository } from './wallet/wallet.repository.js';
import { UserWalletResolver, WalletEntriesResolver } from './wallet/wallet.resolver.js';
import { WalletService } from './wallet/wallet.service.js';

/**
 * The game: the share ledger and its employment projection, the CEO seat, payroll into wallets, the
 * awards of photos, and their GraphQL fields. Global because it provides the contracts earlier libs
 * name (PhotoEarnings) and cannot import.
 */
@Global()
@Module({
  imports: [AccountsModule, BrandsModule, PhotosModule, NotificationsModule],
  providers: [
    ShareLedgerRepository,
    ShareLedger,
    CreditHoldsRepository,
    CreditHolds,
    GameLedgerCheck,
    CeoSeatRepository,
    CeoSeat,
    SeatRefresh,
    GameNotices,
    WalletRepository,
    WalletService,
    Payroll,
    EmploymentsRepository,
    EmploymentsService,
    EmploymentsResolver,
    LedgerEntriesResolver,
    BrandEmploymentsResolver,
    UserEmploymentsResolver,
    UserWalletResolver,
    WalletEntriesResolver,
    { provide: PhotoEarnings, useClass: PhotoAwards },
  ],
  exports: [ShareLedger, CreditHolds, CeoSeat, PhotoEarnings, Payroll, SeatRefresh, WalletService],
})
export class GameModule {}
