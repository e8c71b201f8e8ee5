import type { DataSource } from 'typeorm';
import { Clock, EventLog, FingerprintHasher, SystemClock, loadConfig } from '@boardroom/core';
import { NotificationsService } from '@boardroom/notifications';
import { EventsRepository } from '../../libs/core/src/events/events.repository.js';
import { ShareLedgerRepository } from '../../libs/game/src/ledger/share-ledger.repository.js';
import { ShareLedger } from '../../libs/game/src/ledger/share-ledger.service.js';
import { GameNotices } from '../../libs/game/src/notices/game-notices.js';
import { CeoSeatRepository } from '../../libs/game/src/seat/ceo-seat.repository.js';
import { CeoSeat } from '../../libs/game/src/seat/ceo-seat.js';
import { NotificationsRepository } from '../../libs/notifications/src/notifications.repository.js';

/** The share ledger with its real collaborators on a test database, without a Nest app around it. */
export function shareLedgerOn(dataSource: DataSource, clock: Clock = new SystemClock()) {
  const events = new EventLog(
    new EventsRepository(),
    new FingerprintHasher(loadConfig({ FINGERPRINT_SECRET: 'x'.repeat(32) })),
  );
  const notices = new GameNotices(events, new NotificationsService(dataSource, new NotificationsRepository(), clock));
  const repository = new ShareLedgerRepository();
  const seat = new CeoSeat(new CeoSeatRepository(), notices);
  return { ledger: new ShareLedger(repository, seat, notices), repository, seat };
}
