/**
 * There is no object under the key. A plain Error rather than a DomainError:
 * whether that is the user's NOT_FOUND or an internal inconsistency is the
 * caller's call.
 */
export class StorageObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored object under key "${key}".`);
    this.name = 'StorageObjectNotFoundError';
  }
}

/** The key is not one storage accepts; the message says which rule it breaks. */
export class InvalidStorageKeyError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`Invalid storage key ${JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key)}: ${reason}.`);
    this.name = 'InvalidStorageKeyError';
  }
}
