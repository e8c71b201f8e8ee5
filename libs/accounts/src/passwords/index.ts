export * from './argon2-parameters.js';
export * from './password-hasher.js';
export * from './password-policy.js';
