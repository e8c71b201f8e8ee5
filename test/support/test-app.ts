import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Type } from '@nestjs/common';
import { loadConfig, migrateUp, type AppConfig } from '@boardroom/core';
import { startApi, type RunningApi } from '../../apps/api/src/bootstrap.js';
import { createEmptyDatabase } from './test-database.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> & { code?: string } }[];
  };
}

export interface TestApp extends RunningApi {
  config: AppConfig;
  dataDir: string;
  /** POSTs a GraphQL request as a client sends it. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The real api on a random port with a temporary data folder: embedded PGlite
 * by default, or a fresh database on the server named by TEST_DATABASE_URL.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { extraModules?: Type[] } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-e2e-'));
  let dropDatabase = async () => {};
  // A port known up front, so that PUBLIC_URL (in photo URLs) names the server the test talks to.
  const port = env.PORT ?? String(await freePort());
  const variables: Record<string, string> = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: port,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    // Exports in this process: Jest runs the sources, and the export process is a compiled entry (dist/).
    // The worker e2e of research exports runs them in their own process.
    RESEARCH_EXPORT_HEAP_MB: '0',
    ...env,
  };
  if (process.env.TEST_DATABASE_URL && !variables.DATABASE_URL) {
    const database = await createEmptyDatabase();
    await migrateUp(database.url);
    variables.DATABASE_URL = database.url;
    dropDatabase = database.drop;
  }
  const config = loadConfig(variables);
  const api = await startApi(config, options);
  const graphql = async <T>(
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as GraphQLResponse<T>['body'],
    };
  };
  return {
    ...api,
    config,
    dataDir,
    graphql,
    close: async () => {
      try {
        await api.close();
      } finally {
        await dropDatabase();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
