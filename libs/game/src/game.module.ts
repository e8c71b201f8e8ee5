import { Global, Module } from '@nestjs/common';
import { NotificationsModule } from '@boardroom/notifications';
import { PhotoEarnings } from '@boardroom/photos';
import { ShareLedgerCheck } from './ledger/share-ledger.check.js';
import { ShareLedgerRepository } from './ledger/share-ledger.repository.js';
import { ShareLedger } from './ledger/share-ledger.service.js';
import { GameNotices } from './notices/game-notices.js';
import { PhotoAwards } from './photo-awards.js';
import { CeoSeatRepository } from './seat/ceo-seat.repository.js';
import { CeoSeat } from './seat/ceo-seat.js';

/**
 * The game: the share ledger and its employment projection, the CEO seat, and the awards of photos.
 * Global because it provides the contracts earlier libs name (PhotoEarnings) and cannot import.
 */
@Global()
@Module({
  imports: [NotificationsModule],
  providers: [
    ShareLedgerRepository,
    ShareLedger,
    ShareLedgerCheck,
    CeoSeatRepository,
    CeoSeat,
    GameNotices,
    { provide: PhotoEarnings, useClass: PhotoAwards },
  ],
  exports: [ShareLedger, PhotoEarnings],
})
export class GameModule {}
