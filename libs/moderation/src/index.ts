export * from './moderation.module.js';
export * from './moderation.types.js';
