export * from './game.module.js';
export * from './rules.js';
