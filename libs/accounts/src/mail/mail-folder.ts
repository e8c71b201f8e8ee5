import fs from 'node:fs/promises';
import path from 'node:path';

import { mailFolderOf } from './file-mailer.js';
import { parseEml } from './parse-eml.js';

export type FolderMail = { file: string; to: string; subject: string; text: string };

/**
 * For tests: the messages {@link FileMailer} wrote into `<dataDir>/mail`, oldest
 * first, as the end-to-end tests read mailed links from them. Not exported from
 * the lib's index: production code has no use for it.
 */
export async function readMailFolder(dataDir: string): Promise<FolderMail[]> {
  const folder = mailFolderOf(dataDir);
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // Temporary files start with a dot and end in .tmp: they are not messages yet.
  const files = names.filter((name) => name.endsWith('.eml') && !name.startsWith('.')).map((n) => path.join(folder, n));
  const mails = await Promise.all(
    files.map(async (file) => {
      const [content, stat] = await Promise.all([fs.readFile(file), fs.stat(file, { bigint: true })]);
      return { file, written: stat.mtimeNs, ...parseEml(content) };
    }),
  );
  // The name starts with the send time (to the millisecond); the write time orders a tie.
  mails.sort((a, b) => compare(sendStamp(a.file), sendStamp(b.file)) || compare(a.written, b.written));
  return mails.map(({ file, to, subject, text }) => ({ file, to, subject, text }));
}

/** `2026-11-23T19-52-43.123Z` of `2026-11-23T19-52-43.123Z-a1b2c3.eml`. */
function sendStamp(file: string): string {
  return path.basename(file).replace(/-[0-9a-f]{6}\.eml$/, '');
}

function compare<T extends string | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
