export * from './connection.js';
export * from './cursor.js';
export * from './global-id.js';
export * from './node-registry.js';
export * from './node.interface.js';
export * from './timestamp-cursor.js';
