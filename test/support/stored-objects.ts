import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { AppConfig } from '@boardroom/core';

/** Every object key in the configured storage (local folder or S3 bucket), sorted: to prove nothing is left behind. */
export async function storedObjectKeys(config: AppConfig): Promise<string[]> {
  const storage = config.storage;
  if (storage.driver === 'local') {
    const entries = await readdir(storage.dir, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => path.relative(storage.dir, path.join(entry.parentPath, entry.name)))
      .sort();
  }
  const client = new S3Client({
    region: storage.region,
    endpoint: storage.endpoint,
    forcePathStyle: storage.forcePathStyle,
    credentials: { accessKeyId: storage.accessKeyId!, secretAccessKey: storage.secretAccessKey! },
  });
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: storage.bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    token = page.NextContinuationToken;
  } while (token);
  client.destroy();
  return keys.sort();
}
