import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** An app's compiled entry point (dist/ is built once before the end-to-end suites: e2e-global-setup.ts). */
export function distEntry(app: 'api' | 'worker' | 'cli'): string {
  return path.join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
}
