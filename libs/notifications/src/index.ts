export * from './notification.record.js';
export * from './notifications.module.js';
export * from './notifications.service.js';
