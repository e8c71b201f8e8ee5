import 'reflect-metadata';

export * from './config/app-config.js';
export * from './config/config.module.js';
export * from './config/environment.js';
export * from './database/data-source.js';
export * from './database/database.module.js';
export * from './database/embedded-postgres.js';
export * from './database/migrate.js';
export * from './database/open-database.js';
export * from './database/transaction.js';
export * from './errors/domain-error.js';
export * from './errors/error-presentation.js';
export * from './errors/graphql-error-formatter.js';
export * from './errors/validation.js';
export * from './events/index.js';
export * from './security/fingerprint-hasher.js';
export * from './security/local-secret.js';
