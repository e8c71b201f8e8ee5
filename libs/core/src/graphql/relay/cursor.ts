import { DomainError } from '../../errors/domain-error.js';

export type CursorKey = (string | number | null)[];

/**
 * Cursors encode the sort key and the id of a row, so they stay valid and
 * stable while rows are inserted; base64url keeps them opaque.
 */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The error for a cursor that is not one of this list's. */
export function invalidCursor(): DomainError {
  return DomainError.badInput('The cursor is not valid for this list; start again without "after".', [
    { field: 'after', message: 'not a cursor of this list' },
  ]);
}

/** Whether a local id can be a row id (uuid): anything else cannot exist and needs no query. */
export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

export function decodeCursor(cursor: string, expectedLength: number): CursorKey {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === expectedLength &&
      key.every((part) => part === null || typeof part === 'string' || typeof part === 'number')
    ) {
      return key as CursorKey;
    }
  } catch {
    // fall through: a malformed cursor is the client's mistake
  }
  throw invalidCursor();
}

/** Where a page of a list in `bigint` id order starts: the id the cursor `after` carries; BAD_USER_INPUT otherwise. */
export function serialPageStart(after: string | null | undefined): string | null {
  if (!after) return null;
  const [id] = decodeCursor(after, 1);
  if (typeof id !== 'string' || !/^\d{1,18}$/.test(id)) throw invalidCursor();
  return id;
}
