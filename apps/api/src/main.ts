import { ConfigError, EmbeddedDatabaseLockedError, readEnvironment, runUntilSignalled } from '@boardroom/core';
import { startApi } from './bootstrap.js';

try {
  const config = readEnvironment();
  const api = await startApi(config);
  runUntilSignalled(() => api.close(), config.shutdownTimeoutMs);
} catch (error) {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseLockedError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG: fix the setting, do not restart in a loop
  }
  console.error(error);
  process.exit(1);
}
