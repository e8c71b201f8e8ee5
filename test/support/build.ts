import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Compiles the apps to dist/ (SWC, about 2 s) so a test can run them as separate processes. */
export function buildDist(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

export function distEntry(app: 'api' | 'worker' | 'cli'): string {
  return path.join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
}
