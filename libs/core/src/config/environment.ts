import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type AppConfig } from './app-config.js';

/**
 * Reads `.env` from the working directory into `process.env` (variables already
 * set win), then validates. Every entry point calls this once, before anything else.
 */
export function readEnvironment(cwd = process.cwd()): AppConfig {
  const envFile = path.join(cwd, '.env');
  if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
  return loadConfig(process.env);
}
