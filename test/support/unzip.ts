import { buffer as readAll } from 'node:stream/consumers';
import yauzl from 'yauzl';

/** The files of a zip archive, by name (a test reads archives of a few megabytes at most). */
export async function unzip(archive: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(archive, { lazyEntries: true });
  const files = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    files.set(entry.fileName, await readAll(await zip.openReadStreamPromise(entry)));
  }
  return files;
}
