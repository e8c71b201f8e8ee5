import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import {
  ConfigError,
  EmbeddedDatabaseNotRunningError,
  JobRunner,
  openDatabase,
  readEnvironment,
  runUntilSignalled,
} from '@boardroom/core';
import { WorkerModule } from './worker.module.js';

/**
 * The worker: runs job handlers and scheduled jobs. With DATABASE_URL any number
 * of workers may run; embedded, the api runs the jobs itself and a worker
 * connects to the database the api serves.
 */
try {
  const config = readEnvironment();
  const database = await openDatabase(config, 'worker');
  const app = await NestFactory.create(WorkerModule.forRoot(config, database.url), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.listen(config.workerPort, config.host);
  const runner = app.get(JobRunner);
  runner.start();
  app.get(Logger).log(`Boardroom worker running; health and metrics on port ${config.workerPort}`, 'Bootstrap');
  runUntilSignalled(async () => {
    await runner.stop();
    await app.close();
    await database.close();
  }, config.shutdownTimeoutMs);
} catch (error) {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseNotRunningError) {
    console.error(error.message);
    process.exit(78);
  }
  console.error(error);
  process.exit(1);
}
