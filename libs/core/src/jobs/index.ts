export * from './job-queue.js';
export * from './job-registry.js';
export * from './job-runner.js';
export * from './job-scheduler.js';
export * from './job-types.js';
export * from './jobs.module.js';
export * from './slot-start.js';
