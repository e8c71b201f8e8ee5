import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Compiles the apps to dist/ (SWC, about 2 s) once, before any end-to-end suite runs: several suites run
 * the compiled api, worker or CLI as processes, and a suite rebuilding dist/ while another's process
 * loads from it (the export process is forked late) could hand it half-written files.
 */
export default function setup(): void {
  // Jest loads the global set-up as CommonJS: __dirname is this folder.
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: path.resolve(__dirname, '../..'), stdio: 'inherit' });
}
