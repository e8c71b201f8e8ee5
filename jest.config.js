// Jest in ESM mode (NestJS 12 is ESM-only): run through `npm test`, which adds
// --experimental-vm-modules. Sources are compiled by SWC with the same settings as the build.
import fs from 'node:fs';

const swcrc = JSON.parse(fs.readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));
delete swcrc.$schema;

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/data/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,migrations,test}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'db',
      testMatch: ['<rootDir>/{apps,libs,migrations,test}/**/*.db-spec.ts'],
      globalSetup: '<rootDir>/test/support/db-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/db-global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/e2e-global-setup.ts',
    },
  ],
  testTimeout: 60_000,
};
