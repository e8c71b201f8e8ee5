export * from './moderation.module.js';
export * from './moderation.types.js';
export * from './holds/credit-reviews.service.js';
