export * from './storage/create-storage-driver.js';
export * from './storage/local-storage.driver.js';
export * from './storage/s3-storage.driver.js';
export * from './storage/storage-driver.js';
export * from './storage/storage-errors.js';
export * from './storage/storage-key.js';
export * from './storage/storage.module.js';
export * from './images/index.js';
