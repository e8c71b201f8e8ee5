// The test helper `mail-folder.ts` is left out on purpose: production code has no use for it.
export * from './create-mailer.js';
export * from './file-mailer.js';
export * from './mail.module.js';
export * from './mailer.js';
export * from './smtp-mailer.js';
