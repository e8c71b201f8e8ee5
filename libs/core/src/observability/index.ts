export * from './health.module.js';
export * from './health.registry.js';
export * from './logging.module.js';
export * from './metrics.middleware.js';
export * from './metrics.module.js';
export * from './metrics.service.js';
