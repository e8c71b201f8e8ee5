import { Global, Module } from '@nestjs/common';
import { PhotoEarnings } from '@boardroom/photos';
import { ShareLedgerCheck } from './ledger/share-ledger.check.js';
import { ShareLedgerRepository } from './ledger/share-ledger.repository.js';
import { ShareLedger } from './ledger/share-ledger.service.js';
import { PhotoAwards } from './photo-awards.js';

/**
 * The game: the share ledger and its employment projection, and the awards of photos. Global because
 * it provides the contracts earlier libs name (PhotoEarnings) and cannot import.
 */
@Global()
@Module({
  providers: [ShareLedgerRepository, ShareLedger, ShareLedgerCheck, { provide: PhotoEarnings, useClass: PhotoAwards }],
  exports: [ShareLedger, PhotoEarnings],
})
export class GameModule {}
