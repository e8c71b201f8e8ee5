import type { Readable } from 'node:stream';

export interface PutOptions {
  contentType: string;
}

export interface UrlOptions {
  /** How long a signed URL stays valid; drivers whose URLs never expire ignore it. */
  expiresInSeconds?: number;
}

/**
 * Where media bytes live. An abstract class rather than an interface so that it
 * also serves as the Nest injection token. Every method validates its key (see
 * storage-key.ts) before touching storage.
 */
export abstract class StorageDriver {
  /** Stores the body under the key, replacing any object there; readers never see a partial object. */
  abstract put(key: string, body: Buffer | Readable, options: PutOptions): Promise<{ bytes: number }>;

  /** Throws {@link StorageObjectNotFoundError} when there is no object under the key. */
  abstract get(key: string): Promise<Readable>;

  /** Succeeds whether or not the object existed. */
  abstract delete(key: string): Promise<void>;

  abstract exists(key: string): Promise<boolean>;

  /** A URL a browser can GET the object from. */
  abstract url(key: string, options?: UrlOptions): Promise<string>;

  /** Readiness: resolves when storage can be written to, throws saying why not otherwise. */
  abstract check(): Promise<void>;
}
