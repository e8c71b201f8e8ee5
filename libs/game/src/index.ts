export * from './game.module.js';
export * from './rules.js';
export * from './ledger/ledger.types.js';
export * from './ledger/share-ledger.service.js';
export * from './payroll/payroll.js';
export * from './seat/ceo-seat.js';
export * from './seat/seat-refresh.js';
export * from './wallet/wallet.service.js';
export { TitleEnum } from './employments/dto/employment.dto.js';
