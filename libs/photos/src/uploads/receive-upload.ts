import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileUpload } from 'graphql-upload/Upload.mjs';
import { DomainError } from '@boardroom/core';

/** An upload written to a private temporary file: validated from there, never held whole in memory. */
export interface ReceivedUpload {
  path: string;
  bytes: number;
  /** Hex SHA-256 of the bytes as received (the original). */
  sha256: string;
  /** Removes the temporary file. */
  dispose(): Promise<void>;
}

function tooLarge(maxBytes: number): DomainError {
  const megabytes = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
  return new DomainError(
    'PAYLOAD_TOO_LARGE',
    `The file is larger than ${megabytes} MB. Upload a smaller photo (a JPEG or WebP export is usually much smaller).`,
    { maxBytes },
  );
}

/** graphql-upload ends a stream whose file went over its size limit with an HTTP 413 error. */
function isSizeLimitError(error: unknown): boolean {
  return (error as { status?: unknown } | null)?.status === 413;
}

/**
 * Streams an upload to a temporary file in `dir`, hashing and counting on the way, and stops it with
 * PAYLOAD_TOO_LARGE as soon as it passes `maxBytes` (whichever of us and the multipart parser
 * notices first). On any failure the partial file is gone.
 */
export async function receiveUpload(
  upload: Promise<FileUpload>,
  options: { maxBytes: number; dir: string },
): Promise<ReceivedUpload> {
  const { maxBytes } = options;
  const file = path.join(options.dir, `boardroom-upload-${randomUUID()}`);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) return done(tooLarge(maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    const source = (await upload).createReadStream();
    await pipeline(source, meter, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await rm(file, { force: true });
    if (isSizeLimitError(error)) throw tooLarge(maxBytes);
    throw error;
  }
  return { path: file, bytes, sha256: hash.digest('hex'), dispose: () => rm(file, { force: true }) };
}
