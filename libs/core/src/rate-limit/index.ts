export * from './graphql-rate-limit.middleware.js';
export * from './rate-limit.decorator.js';
export * from './rate-limit.guard.js';
export * from './rate-limit.module.js';
export * from './rate-limiter.service.js';
