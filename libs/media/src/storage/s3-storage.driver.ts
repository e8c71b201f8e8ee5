import { pipeline, Transform, type Readable } from 'node:stream';

import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '@boardroom/core';

import { StorageDriver, type PutOptions, type UrlOptions } from './storage-driver.js';
import { StorageObjectNotFoundError } from './storage-errors.js';
import { assertValidStorageKey } from './storage-key.js';

export type S3StorageConfig = Extract<AppConfig['storage'], { driver: 's3' }>;

export interface S3UrlSettings {
  /** Lifetime of a presigned URL when the caller names none. */
  defaultExpiresInSeconds: number;
}

function httpStatus(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

/** Objects in one S3 (or S3-compatible) bucket, the key being the object key. */
export class S3StorageDriver extends StorageDriver implements OnModuleDestroy {
  private readonly client: S3Client;
  /** Signs URLs for browsers: the same as `client` unless they reach S3 at another endpoint. */
  private readonly presigner: S3Client;
  private readonly bucket: string;
  private readonly where: string;

  constructor(
    config: S3StorageConfig,
    private readonly urls: S3UrlSettings,
  ) {
    super();
    this.bucket = config.bucket;
    this.where = config.endpoint ?? `AWS region ${config.region}`;
    const clientFor = (endpoint: string | undefined) =>
      new S3Client({
        region: config.region,
        endpoint,
        forcePathStyle: config.forcePathStyle,
        // Without keys in the config the SDK's default chain applies (environment, instance role…).
        credentials:
          config.accessKeyId && config.secretAccessKey
            ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
            : undefined,
      });
    this.client = clientFor(config.endpoint);
    this.presigner = config.publicEndpoint ? clientFor(config.publicEndpoint) : this.client;
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions): Promise<{ bytes: number }> {
    assertValidStorageKey(key);
    const params = { Bucket: this.bucket, Key: key, ContentType: options.contentType };
    if (Buffer.isBuffer(body)) {
      await this.client.send(new PutObjectCommand({ ...params, Body: body }));
      return { bytes: body.length };
    }
    // A stream's length is unknown up front, which a plain PutObject needs: Upload
    // sends it in parts (one PutObject when small). S3 writes are atomic either way.
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    // An error in the source destroys the counter, which fails the upload.
    const counted = pipeline(body, counter, () => undefined);
    await new Upload({ client: this.client, params: { ...params, Body: counted } }).done();
    return { bytes };
  }

  async get(key: string): Promise<Readable> {
    assertValidStorageKey(key);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      // In Node the SDK's body is always an http.IncomingMessage, a Readable.
      return response.Body as Readable;
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === 'NoSuchKey') throw new StorageObjectNotFoundError(key);
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidStorageKey(key);
    // S3 answers 204 whether or not the object existed.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async exists(key: string): Promise<boolean> {
    assertValidStorageKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (httpStatus(error) === 404) return false;
      throw error;
    }
  }

  async url(key: string, options: UrlOptions = {}): Promise<string> {
    assertValidStorageKey(key);
    return getSignedUrl(this.presigner, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: options.expiresInSeconds ?? this.urls.defaultExpiresInSeconds,
    });
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      // HEAD answers carry no body, so the SDK's message for them is often just "UnknownError".
      const status = httpStatus(error);
      const reason =
        status === 404
          ? 'the bucket does not exist'
          : status === 403
            ? 'access denied (check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY)'
            : (error as Error).message;
      throw new Error(`S3 bucket "${this.bucket}" at ${this.where} is not usable: ${reason}`, { cause: error });
    }
  }

  /** Closes the clients' kept-alive connections, which would otherwise hold the process open. */
  onModuleDestroy(): void {
    this.client.destroy();
    if (this.presigner !== this.client) this.presigner.destroy();
  }
}
