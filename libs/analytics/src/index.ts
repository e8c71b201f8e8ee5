export * from './analytics.module.js';
export * from './detection-rules.js';
export * from './detector.js';
export * from './detector-runner.js';
export * from './flags.repository.js';
export * from './fingerprints/shared-fingerprints.detector.js';
export * from './near-duplicates/hash-bands.js';
export * from './near-duplicates/near-duplicate-photos.detector.js';
