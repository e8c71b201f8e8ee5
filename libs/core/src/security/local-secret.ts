import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A secret kept in the data folder, generated on first use: how an embedded
 * install gets keys without anyone configuring them, and without a constant in
 * code. Production servers pass their secrets through the environment instead.
 */
export function localSecret(dataDir: string, name: string, bytes = 32): Buffer {
  const file = path.join(dataDir, 'secrets', `${name}.key`);
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(bytes);
  try {
    // 'wx': if another process wrote it first, keep theirs.
    fs.writeFileSync(file, secret.toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
  }
}
