import { decodeCursor, invalidCursor, isUuid } from './cursor.js';

/**
 * Where a page of a list sorted by a timestamp starts: after the row with this sort timestamp and id.
 * The timestamp travels as PostgreSQL's exact text (`created_at::text`): a JS Date would drop the microseconds.
 */
export type TimestampPageStart = [sortKey: string, id: string] | null;

/** A timestamptz as PostgreSQL prints it, e.g. `2026-12-02 04:05:06.123456+00`. */
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

/** Whether a cursor part is a timestamptz as PostgreSQL prints it (and nothing else). */
export function isTimestampText(text: unknown): text is string {
  return typeof text === 'string' && TIMESTAMP_TEXT.test(text);
}

/** The [sort timestamp, id] that the cursor `after` carries; BAD_USER_INPUT for anything else. */
export function timestampPageStart(after: string | null | undefined): TimestampPageStart {
  if (!after) return null;
  const [sortKey, id] = decodeCursor(after, 2);
  if (!isTimestampText(sortKey) || typeof id !== 'string' || !isUuid(id)) {
    throw invalidCursor();
  }
  return [sortKey, id];
}
