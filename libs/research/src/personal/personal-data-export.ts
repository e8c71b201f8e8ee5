import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { StorageDriver, StorageObjectNotFoundError } from '@boardroom/media';
import { PersonalDataRepository } from './personal-data.repository.js';

const README = `# Your Boardroom data

Everything Boardroom keeps about you, as of this download:

- \`profile.jsonl\`: your account (email, handle, display name, roles, when you signed up);
- \`photos.jsonl\` and \`photos/\`: your photos: the original you uploaded (as uploaded) and the renditions others saw;
- \`comments.jsonl\`, \`follows.jsonl\`: what you wrote and whom you follow;
- \`employments.jsonl\`, \`share_ledger.jsonl\`, \`wallet_ledger.jsonl\`: your titles, shares and salary, entry by entry;
- \`awards.jsonl\`, \`invites.jsonl\`, \`notifications.jsonl\`.

Each .jsonl file has one JSON object per line. Other people's data is not here. To erase your account, use
deleteMyAccount (see the privacy guide).
`;

/** A person's own data into a folder: a JSON Lines file per table, their photos' files, and a README. */
@Injectable()
export class PersonalDataExport {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly data: PersonalDataRepository,
    private readonly storage: StorageDriver,
  ) {}

  /** Returns how many rows (and files) it wrote. */
  async write(userId: string, dir: string): Promise<number> {
    const manager = this.dataSource.manager;
    let rows = 0;
    for (const table of Object.keys(PersonalDataRepository.TABLES)) {
      const records = await this.data.rows(manager, table, userId);
      await writeFile(
        path.join(dir, `${table}.jsonl`),
        records.map((record) => JSON.stringify(record) + '\n').join(''),
      );
      rows += records.length;
    }
    const photos = await this.data.photos(manager, userId);
    const listed = [];
    for (const photo of photos) {
      const folder = path.join('photos', photo.id);
      await mkdir(path.join(dir, folder), { recursive: true });
      const files: Record<string, string> = {};
      const copies: [string, string | null, string][] = [
        ['original', photo.originalKey, photo.originalFormat === 'jpeg' ? 'jpg' : photo.originalFormat],
        ['display', photo.displayKey, 'webp'],
        ['thumbnail', photo.thumbnailKey, 'webp'],
      ];
      for (const [name, key, extension] of copies) {
        if (key && (await this.copy(key, path.join(dir, folder, `${name}.${extension}`)))) {
          files[name] = `${folder}/${name}.${extension}`;
          rows += 1;
        }
      }
      const { originalKey: _original, displayKey: _display, thumbnailKey: _thumbnail, ...described } = photo;
      listed.push(JSON.stringify({ ...described, files }) + '\n');
    }
    await writeFile(path.join(dir, 'photos.jsonl'), listed.join(''));
    await writeFile(path.join(dir, 'README.md'), README);
    return rows + photos.length;
  }

  /** False when storage no longer has the object (a removed photo's original after its retention). */
  private async copy(key: string, file: string): Promise<boolean> {
    try {
      await pipeline(await this.storage.get(key), createWriteStream(file));
      return true;
    } catch (error) {
      if (error instanceof StorageObjectNotFoundError) return false;
      throw error;
    }
  }
}
