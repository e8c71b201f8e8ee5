export * from './image-format.js';
export * from './image-probe.js';
export * from './image-pipeline.js';
export * from './perceptual-hash.js';
export * from './synthetic-scene.js';
