export * from './image-format.js';
export * from './image-probe.js';
