import path from 'node:path';
import type { Readable } from 'node:stream';
import yazl from 'yazl';

/** The files of a folder as one zip archive, streamed (yazl reads each file as the archive is consumed). */
export function zipFiles(dir: string, names: readonly string[]): Readable {
  const zip = new yazl.ZipFile();
  for (const name of names) zip.addFile(path.join(dir, name), name);
  zip.end();
  return zip.outputStream as Readable;
}
