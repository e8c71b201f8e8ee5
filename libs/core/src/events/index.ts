export * from './event-consumer.js';
export * from './event-log.js';
export * from './event-subscribers.js';
export * from './event.types.js';
export * from './events.module.js';
