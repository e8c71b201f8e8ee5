export * from './award-criterion.js';
export * from './awards-engine.js';
export * from './awards.module.js';
export * from './criteria.js';
