import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, knownVariables, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('works with no variables at all, with the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ env: 'development', port: 3000, production: false, embedded: true });
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.storage).toEqual({ driver: 'local', dir: path.resolve('./data/storage') });
    expect(config.jobs.inApi).toBe(true);
    expect(config.graphql).toEqual({ maxDepth: 8, maxAliases: 15, maxCost: 5000 });
    expect(config.rateLimits.graphql).toEqual({ points: 600, seconds: 60 });
  });

  it('rejects a malformed variable with a message naming it and saying why', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', RATE_LIMIT_GRAPHQL: 'lots' });
    } catch (error) {
      const problems = (error as ConfigError).problems.map((p) => p.variable);
      expect(problems.sort()).toEqual(['DATABASE_URL', 'PORT', 'RATE_LIMIT_GRAPHQL']);
      expect((error as Error).message).toMatch(/DATABASE_URL: must be a postgres/);
      expect((error as Error).message).toMatch(/RATE_LIMIT_GRAPHQL: must look like/);
    }
  });

  it('requires what production with a server needs, naming it', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/boardroom' })).toThrow(
      /FINGERPRINT_SECRET/,
    );
    expect(() => loadConfig({ S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'key' })).toThrow(/S3_SECRET_ACCESS_KEY/);
  });

  it('switches to a server, S3 and Redis through their variables', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/boardroom',
      S3_BUCKET: 'media',
      S3_ENDPOINT: 'http://minio:9000',
      S3_FORCE_PATH_STYLE: 'true',
      REDIS_URL: 'redis://redis:6379',
      TRUST_PROXY: '2',
    });
    expect(config.embedded).toBe(false);
    expect(config.jobs.inApi).toBe(false);
    expect(config.storage).toMatchObject({
      driver: 's3',
      bucket: 'media',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
    });
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.trustProxy).toBe(2);
  });

  it('takes the CORS origins from CORS_ORIGINS, else the public URL, and refuses a path', () => {
    expect(loadConfig({}).corsOrigins).toEqual(['http://localhost:3000']);
    expect(loadConfig({ PUBLIC_URL: 'https://boardroom.example.com/app/' }).corsOrigins).toEqual([
      'https://boardroom.example.com',
    ]);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).corsOrigins).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ]);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS: must be/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 3000, embedded: true });
  });

  it('is documented variable for variable in .env.example', () => {
    const example = fs.readFileSync(path.resolve('.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect([...new Set(documented)].sort()).toEqual([...knownVariables].sort());
  });
});
