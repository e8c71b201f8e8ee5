import { InvalidStorageKeyError } from './storage-errors.js';

export const MAX_STORAGE_KEY_LENGTH = 512;

/**
 * Throws unless the key is safe for every driver. The local driver joins keys
 * onto its folder, so these rules are what makes path traversal impossible;
 * empty and "." segments are refused too because a file system would fold them
 * away while S3 would not, and the two drivers must agree on what a key names.
 */
export function assertValidStorageKey(key: string): void {
  const reject = (reason: string): never => {
    throw new InvalidStorageKeyError(key, reason);
  };
  if (key.length === 0) reject('it is empty');
  if (key.length > MAX_STORAGE_KEY_LENGTH) reject(`it is longer than ${MAX_STORAGE_KEY_LENGTH} characters`);
  if (!/^[a-zA-Z0-9/_.-]+$/.test(key)) reject('only letters, digits and / _ . - are allowed');
  if (key.startsWith('/')) reject('it must not start with "/"');
  if (key.includes('..')) reject('it must not contain ".."');
  if (key.split('/').some((segment) => segment === '' || segment === '.')) {
    reject('it must not contain empty or "." path segments');
  }
}
