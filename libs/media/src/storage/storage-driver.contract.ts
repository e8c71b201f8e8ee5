import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';

import type { StorageDriver } from './storage-driver.js';
import { InvalidStorageKeyError, StorageObjectNotFoundError } from './storage-errors.js';

/**
 * The behaviour every driver promises, run by each driver's spec. `driver()` is
 * read inside each test, so the spec may create the driver in `beforeAll`.
 */
export function storageDriverContract(driver: () => StorageDriver): void {
  const contentType = 'text/plain';

  it('stores a Buffer and gives it back', async () => {
    await expect(driver().put('contract/buffer.txt', Buffer.from('héllo'), { contentType })).resolves.toEqual({
      bytes: 6,
    });
    await expect(driver().exists('contract/buffer.txt')).resolves.toBe(true);
    await expect(text(await driver().get('contract/buffer.txt'))).resolves.toBe('héllo');
  });

  it('stores a stream of several chunks and counts its bytes', async () => {
    const chunks = ['one,', 'two,', 'three'].map((chunk) => Buffer.from(chunk));
    await expect(driver().put('contract/deep/er/stream.txt', Readable.from(chunks), { contentType })).resolves.toEqual({
      bytes: 13,
    });
    await expect(text(await driver().get('contract/deep/er/stream.txt'))).resolves.toBe('one,two,three');
  });

  it('replaces an existing object', async () => {
    await driver().put('contract/replaced.txt', Buffer.from('first version'), { contentType });
    await driver().put('contract/replaced.txt', Buffer.from('second'), { contentType });
    await expect(text(await driver().get('contract/replaced.txt'))).resolves.toBe('second');
  });

  it('deletes, and deleting again is no error', async () => {
    await driver().put('contract/deleted.txt', Buffer.from('x'), { contentType });
    await driver().delete('contract/deleted.txt');
    await expect(driver().exists('contract/deleted.txt')).resolves.toBe(false);
    await expect(driver().get('contract/deleted.txt')).rejects.toBeInstanceOf(StorageObjectNotFoundError);
    await expect(driver().delete('contract/deleted.txt')).resolves.toBeUndefined();
  });

  it('reports a missing object as not found, also under a key that is only a prefix', async () => {
    await expect(driver().exists('contract/never-stored.txt')).resolves.toBe(false);
    await expect(driver().get('contract/never-stored.txt')).rejects.toThrow(StorageObjectNotFoundError);
    await driver().put('contract/prefix/child.txt', Buffer.from('x'), { contentType });
    await expect(driver().exists('contract/prefix')).resolves.toBe(false);
    await expect(driver().get('contract/prefix')).rejects.toThrow(StorageObjectNotFoundError);
  });

  it('leaves no object behind when the stream fails midway', async () => {
    const failing = Readable.from(
      (async function* () {
        yield Buffer.from('partial');
        throw new Error('client went away');
      })(),
    );
    await expect(driver().put('contract/failed.txt', failing, { contentType })).rejects.toThrow('client went away');
    await expect(driver().exists('contract/failed.txt')).resolves.toBe(false);
  });

  it.each(['../x', '/etc/passwd', 'a/../../x', 'a//b', 'a b', ''])(
    'refuses the key %j in every method',
    async (key) => {
      const calls = [
        () => driver().put(key, Buffer.from('x'), { contentType }),
        () => driver().get(key),
        () => driver().delete(key),
        () => driver().exists(key),
        () => driver().url(key),
      ];
      for (const call of calls) await expect(call()).rejects.toThrow(InvalidStorageKeyError);
    },
  );
}
