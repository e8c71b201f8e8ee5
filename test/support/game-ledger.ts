import type { DataSource } from 'typeorm';
import {
  Clock,
  EventLog,
  FingerprintHasher,
  LedgerChecks,
  PubSubService,
  SystemClock,
  loadConfig,
} from '@boardroom/core';
import { UsersService } from '@boardroom/accounts';
import { BrandsService } from '@boardroom/brands';
import { NotificationsService } from '@boardroom/notifications';
import { SessionsRepository } from '../../libs/accounts/src/sessions/sessions.repository.js';
import { UsersRepository } from '../../libs/accounts/src/users/users.repository.js';
import { BrandsRepository } from '../../libs/brands/src/brands.repository.js';
import { EventsRepository } from '../../libs/core/src/events/events.repository.js';
import { CreditHoldsRepository } from '../../libs/game/src/holds/credit-holds.repository.js';
import { GameLedgerCheck } from '../../libs/game/src/ledger/game-ledger.check.js';
import { ShareLedgerRepository } from '../../libs/game/src/ledger/share-ledger.repository.js';
import { ShareLedger } from '../../libs/game/src/ledger/share-ledger.service.js';
import { GameNotices } from '../../libs/game/src/notices/game-notices.js';
import { Payroll } from '../../libs/game/src/payroll/payroll.js';
import { PhotoAwards } from '../../libs/game/src/photo-awards.js';
import { CeoSeatRepository } from '../../libs/game/src/seat/ceo-seat.repository.js';
import { CeoSeat } from '../../libs/game/src/seat/ceo-seat.js';
import { SeatRefresh } from '../../libs/game/src/seat/seat-refresh.js';
import { WalletRepository } from '../../libs/game/src/wallet/wallet.repository.js';
import { NotificationsRepository } from '../../libs/notifications/src/notifications.repository.js';

/**
 * The game's services with their real collaborators on a test database, without a Nest app around them.
 * The jobs (SeatRefresh, Payroll) are called directly: their registry and scheduler are only used when a
 * module starts, which this never does.
 */
export function shareLedgerOn(dataSource: DataSource, clock: Clock = new SystemClock()) {
  const config = loadConfig({ FINGERPRINT_SECRET: 'x'.repeat(32) });
  const events = new EventLog(new EventsRepository(), new FingerprintHasher(config), clock);
  const notifications = new NotificationsService(
    dataSource,
    new NotificationsRepository(),
    clock,
    new PubSubService(config),
  );
  const notices = new GameNotices(
    events,
    notifications,
    new BrandsService(dataSource, new BrandsRepository(), events),
    // Reads only: no password is hashed here.
    new UsersService(dataSource, new UsersRepository(null as never), events, new SessionsRepository()),
  );
  const repository = new ShareLedgerRepository();
  const wallets = new WalletRepository();
  const seat = new CeoSeat(new CeoSeatRepository(), notices);
  const ledger = new ShareLedger(repository, seat, notices, new CreditHoldsRepository());
  const unused = null as never;
  const checks = new LedgerChecks();
  new GameLedgerCheck(checks, repository, wallets).onModuleInit();
  return {
    ledger,
    repository,
    seat,
    awards: new PhotoAwards(ledger),
    seatRefresh: new SeatRefresh(dataSource, repository, ledger, seat, unused, unused, clock),
    payroll: new Payroll(dataSource, wallets, unused, unused, clock),
    /** What `check-ledger` would print for the game's projections: [] when they all equal their ledgers. */
    async ledgerDifferences(): Promise<string[]> {
      const found: string[] = [];
      for (const check of checks.all()) found.push(...(await check.differences(dataSource.manager)));
      return found;
    },
  };
}
