export * from './ledger-checks.js';
export * from './operator.module.js';
export * from './seeders.js';
