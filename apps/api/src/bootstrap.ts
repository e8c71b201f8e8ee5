import type { AddressInfo } from 'node:net';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import { Logger } from 'nestjs-pino';
import {
  createValidationPipe,
  JobRunner,
  migrateUp,
  multipartPreflightMiddleware,
  openDatabase,
  type AppConfig,
  type OpenDatabase,
} from '@boardroom/core';
import { AppModule } from './app.module.js';

export interface RunningApi {
  app: NestExpressApplication;
  /** Where the API answers, e.g. http://127.0.0.1:3000 */
  url: string;
  /** The database this api uses (and, embedded, owns). */
  database: OpenDatabase;
  /** Graceful stop: no new requests, running jobs finish, database closed last. */
  close(): Promise<void>;
}

/**
 * Starts the api: locates (or, embedded, starts and migrates) the database,
 * builds the Nest app and listens. `main.ts` and the end-to-end tests share it.
 */
export async function startApi(config: AppConfig, options: { extraModules?: Type[] } = {}): Promise<RunningApi> {
  const database = await openDatabase(config, 'api');
  let app: NestExpressApplication | undefined;
  try {
    const applied = database.embedded ? await migrateUp(database.url) : [];
    app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot(config, database.url, options.extraModules),
      { bufferLogs: true },
    );
    const log = app.get(Logger);
    app.useLogger(log);
    if (database.embedded) {
      log.log(
        `Embedded PostgreSQL in ${config.dataDir} serves ${new URL(database.url).host}; ${applied.length} migration(s) applied`,
        'Bootstrap',
      );
    }
    app.set('trust proxy', config.trustProxy);
    app.disable('x-powered-by');
    // Bearer tokens, not cookies: no credentials mode. The preflight header and the device id are what
    // the web client sends besides the usual ones.
    app.enableCors({
      origin: config.corsOrigins,
      credentials: false,
      allowedHeaders: ['content-type', 'authorization', 'apollo-require-preflight', 'x-device-id'],
      maxAge: 600,
    });
    app.useGlobalPipes(createValidationPipe());
    app.use('/graphql', multipartPreflightMiddleware);
    app.use('/graphql', graphqlUploadExpress({ maxFileSize: config.uploads.maxBytes, maxFiles: 1 }));
    await app.listen(config.port, config.host);

    const runner = app.get(JobRunner);
    if (config.jobs.inApi) runner.start();

    const address = app.getHttpServer().address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const url = `http://${host}:${address.port}`;
    log.log(`Boardroom api listening on ${url} (GraphQL at ${url}/graphql)`, 'Bootstrap');

    const started = app;
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await runner.stop();
        await started.close();
        await database.close();
      })());
    return { app: started, url, database, close };
  } catch (error) {
    // A failed start (a port in use, say) must not leave the pool or the embedded database open.
    await app?.close().catch(() => undefined);
    await database.close();
    throw error;
  }
}
