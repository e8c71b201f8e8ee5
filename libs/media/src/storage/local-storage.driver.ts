import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { MediaUrlCheck, MediaUrlSigner } from './media-url-signer.js';
import { StorageDriver, type PutOptions, type UrlOptions } from './storage-driver.js';
import { StorageObjectNotFoundError } from './storage-errors.js';
import { assertValidStorageKey } from './storage-key.js';

/** Errors that mean "nothing stored there" (ENOTDIR: a parent segment is a file). */
const MISSING = new Set(['ENOENT', 'ENOTDIR']);

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** How the driver builds the URLs that the api's media controller serves. */
export interface LocalMediaUrls {
  /** The api's public origin, which serves `/media/<key>`. */
  publicBase: string;
  signer: MediaUrlSigner;
  /** Lifetime of a URL when the caller names none. */
  defaultExpiresInSeconds: number;
}

/** A stored file opened for reading, with its size for a Content-Length. */
export interface OpenedObject {
  body: Readable;
  bytes: number;
}

/**
 * Objects as files under one folder, the key being the relative path. The
 * content type is not kept: keys carry an extension to serve it by.
 */
export class LocalStorageDriver extends StorageDriver {
  private readonly root: string;

  constructor(
    root: string,
    private readonly urls: LocalMediaUrls,
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
    return (await this.open(key)).body;
  }

  /** {@link get} with the object's size; throws {@link StorageObjectNotFoundError} the same way. */
  async open(key: string): Promise<OpenedObject> {
    const file = this.pathOf(key);
    // Opened here rather than lazily by the stream, so a missing object rejects this call.
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, 'r');
    } catch (error) {
      if (MISSING.has(errorCode(error) ?? '')) throw new StorageObjectNotFoundError(key);
      throw error;
    }
    const stats = await handle.stat();
    // A folder opens fine on Linux but is not an object (it is a prefix of other keys).
    if (!stats.isFile()) {
      await handle.close();
      throw new StorageObjectNotFoundError(key);
    }
    return { body: handle.createReadStream(), bytes: stats.size };
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

  /** A URL of the api's media controller, signed to expire (see {@link MediaUrlSigner}). */
  async url(key: string, options: UrlOptions = {}): Promise<string> {
    assertValidStorageKey(key);
    const lifetime = options.expiresInSeconds ?? this.urls.defaultExpiresInSeconds;
    const expires = Math.floor(Date.now() / 1000) + lifetime;
    const query = new URLSearchParams({ expires: String(expires), signature: this.urls.signer.sign(key, expires) });
    return `${this.urls.publicBase}/media/${key.split('/').map(encodeURIComponent).join('/')}?${query.toString()}`;
  }

  /** Whether a request for `/media/<key>` carries this driver's valid signature. */
  checkUrl(key: string, expires: unknown, signature: unknown): MediaUrlCheck {
    return this.urls.signer.check(key, expires, signature);
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
