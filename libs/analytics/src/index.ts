export * from './analytics.module.js';
export * from './detection-rules.js';
export * from './detector.js';
export * from './detector-runner.js';
export * from './flags/flag.types.js';
export * from './flags/flags.repository.js';
