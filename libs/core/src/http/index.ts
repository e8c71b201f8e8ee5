export * from './multipart-preflight.middleware.js';
