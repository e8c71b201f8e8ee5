export * from './graphql.module.js';
export * from './pubsub.js';
export * from './query-limits.js';
export * from './relay/index.js';
export * from './request-context.js';
export * from './render-schema.js';
export * from './graphql-support.module.js';
export * from './request-loader.js';
