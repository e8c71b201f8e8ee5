import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { StorageDriver, type PutOptions } from './storage-driver.js';
import { StorageObjectNotFoundError } from './storage-errors.js';
import { assertValidStorageKey } from './storage-key.js';

/** Errors that mean "nothing stored there" (ENOTDIR: a parent segment is a file). */
const MISSING = new Set(['ENOENT', 'ENOTDIR']);

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Objects as files under one folder, the key being the relative path. The
 * content type is not kept: keys carry an extension to serve it by.
 */
export class LocalStorageDriver extends StorageDriver {
  private readonly root: string;

  /** @param publicBase the api's public origin, which serves `/media/<key>`. */
  constructor(
    root: string,
    private readonly publicBase: string,
  ) {
    super();
    this.root = path.resolve(root);
  }

  async put(key: string, body: Buffer | Readable, _options: PutOptions): Promise<{ bytes: number }> {
    const target = this.pathOf(key);
    const folder = path.dirname(target);
    await fs.mkdir(folder, { recursive: true });
    // Same folder, so the rename below is atomic; the random part keeps concurrent puts apart.
    const temp = path.join(folder, `.${path.basename(target)}.${randomUUID()}.tmp`);
    try {
      // flush: the bytes reach the disk before the rename makes them visible.
      await pipeline(
        Buffer.isBuffer(body) ? Readable.from([body]) : body,
        createWriteStream(temp, { flags: 'wx', flush: true }),
      );
      const { size } = await fs.stat(temp);
      await fs.rename(temp, target);
      return { bytes: size };
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    // Opened here rather than lazily by the stream, so a missing object rejects this call.
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, 'r');
    } catch (error) {
      if (MISSING.has(errorCode(error) ?? '')) throw new StorageObjectNotFoundError(key);
      throw error;
    }
    // A folder opens fine on Linux but is not an object (it is a prefix of other keys).
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw new StorageObjectNotFoundError(key);
    }
    return handle.createReadStream();
  }

  async delete(key: string): Promise<void> {
    try {
      await fs.unlink(this.pathOf(key));
    } catch (error) {
      // EISDIR: a prefix of other keys, which is no object, as on S3.
      const code = errorCode(error) ?? '';
      if (!MISSING.has(code) && code !== 'EISDIR') throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await fs.stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (MISSING.has(errorCode(error) ?? '')) return false;
      throw error;
    }
  }

  /** Local URLs do not expire: the api serves them as it would any public file. */
  async url(key: string): Promise<string> {
    assertValidStorageKey(key);
    return `${this.publicBase}/media/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  async check(): Promise<void> {
    const probe = path.join(this.root, `.probe-${randomUUID()}`);
    try {
      await fs.mkdir(this.root, { recursive: true });
      await fs.writeFile(probe, 'probe');
      await fs.unlink(probe);
    } catch (error) {
      throw new Error(`Local storage folder ${this.root} is not writable: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private pathOf(key: string): string {
    assertValidStorageKey(key);
    return path.join(this.root, key);
  }
}
