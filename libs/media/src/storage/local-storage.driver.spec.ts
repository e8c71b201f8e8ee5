import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';

import { LocalStorageDriver, type LocalMediaUrls } from './local-storage.driver.js';
import { MediaUrlSigner } from './media-url-signer.js';
import { storageDriverContract } from './storage-driver.contract.js';

describe('LocalStorageDriver', () => {
  const signer = new MediaUrlSigner(Buffer.from('local-driver-spec-secret'));
  const urls: LocalMediaUrls = { publicBase: 'https://boardroom.example', signer, defaultExpiresInSeconds: 3600 };
  let tmp: string;
  let root: string;
  let driver: LocalStorageDriver;

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'boardroom-local-storage-'));
    root = path.join(tmp, 'storage');
    driver = new LocalStorageDriver(root, urls);
  });

  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  describe('contract', () => storageDriverContract(() => driver));

  it('keeps each object as a file at its key, with no temporary files left', async () => {
    await driver.put('layout/a/b.txt', Buffer.from('content'), { contentType: 'text/plain' });
    await expect(fs.readFile(path.join(root, 'layout/a/b.txt'), 'utf8')).resolves.toBe('content');
    await expect(fs.readdir(path.join(root, 'layout/a'))).resolves.toEqual(['b.txt']);
  });

  it('never shows a half-written file, new or replaced', async () => {
    const key = 'atomic/photo.bin';
    await driver.put(key, Buffer.from('old'), { contentType: 'application/octet-stream' });

    const body = new PassThrough();
    const putting = driver.put(key, body, { contentType: 'application/octet-stream' });
    body.write(Buffer.alloc(64 * 1024, 1));
    // Wait until the first chunk is on disk somewhere in the folder.
    const folder = path.join(root, 'atomic');
    const partialWritten = async () => {
      for (const name of await fs.readdir(folder)) {
        if ((await fs.stat(path.join(folder, name))).size === 64 * 1024) return true;
      }
      return false;
    };
    while (!(await partialWritten())) await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(text(await driver.get(key))).resolves.toBe('old');

    body.end(Buffer.alloc(64 * 1024, 2));
    await expect(putting).resolves.toEqual({ bytes: 128 * 1024 });
    const stored = await fs.readFile(path.join(root, key));
    expect(stored.length).toBe(128 * 1024);
    expect(stored[0]).toBe(1);
    expect(stored.at(-1)).toBe(2);
  });

  it('removes the temporary file of a failed upload', async () => {
    const failing = Readable.from(
      (async function* () {
        yield Buffer.from('partial');
        throw new Error('client went away');
      })(),
    );
    await driver.put('failed/keep.txt', Buffer.from('kept'), { contentType: 'text/plain' });
    await expect(driver.put('failed/photo.bin', failing, { contentType: 'text/plain' })).rejects.toThrow();
    await expect(fs.readdir(path.join(root, 'failed'))).resolves.toEqual(['keep.txt']);
  });

  it('writes nothing outside its folder for a traversing key', async () => {
    await expect(driver.put('../escaped.txt', Buffer.from('x'), { contentType: 'text/plain' })).rejects.toThrow('".."');
    await expect(driver.put('/etc/passwd', Buffer.from('x'), { contentType: 'text/plain' })).rejects.toThrow('"/"');
    await expect(fs.access(path.join(tmp, 'escaped.txt'))).rejects.toThrow('ENOENT');
  });

  describe('url', () => {
    const nowSeconds = () => Math.floor(Date.now() / 1000);

    it('is a URL the api serves, signed to expire after the given lifetime', async () => {
      const before = nowSeconds();
      const url = new URL(await driver.url('avatars/u-1/face.webp', { expiresInSeconds: 60 }));
      expect(`${url.origin}${url.pathname}`).toBe('https://boardroom.example/media/avatars/u-1/face.webp');
      expect([...url.searchParams.keys()]).toEqual(['expires', 'signature']);
      const expires = Number(url.searchParams.get('expires'));
      expect(expires).toBeGreaterThanOrEqual(before + 60);
      expect(expires).toBeLessThanOrEqual(nowSeconds() + 60);
      expect(url.searchParams.get('signature')).toBe(signer.sign('avatars/u-1/face.webp', expires));
    });

    it('lasts the configured default lifetime when none is given', async () => {
      const before = nowSeconds();
      const expires = Number(new URL(await driver.url('a/b.jpg')).searchParams.get('expires'));
      expect(expires).toBeGreaterThanOrEqual(before + 3600);
      expect(expires).toBeLessThanOrEqual(nowSeconds() + 3600);
    });

    it('passes its own check, for its own key only', async () => {
      const params = new URL(await driver.url('a/b.jpg')).searchParams;
      const [expires, signature] = [params.get('expires'), params.get('signature')];
      expect(driver.checkUrl('a/b.jpg', expires, signature)).toBe('valid');
      expect(driver.checkUrl('a/c.jpg', expires, signature)).toBe('invalid');
    });
  });

  describe('check', () => {
    it('creates a missing folder and passes', async () => {
      const fresh = path.join(tmp, 'fresh', 'nested');
      await new LocalStorageDriver(fresh, urls).check();
      await expect(fs.readdir(fresh)).resolves.toEqual([]);
    });

    it('fails, naming the folder, when the folder cannot be created', async () => {
      const file = path.join(tmp, 'a-file');
      await fs.writeFile(file, 'not a folder');
      const underFile = path.join(file, 'storage');
      await expect(new LocalStorageDriver(underFile, urls).check()).rejects.toThrow(
        `Local storage folder ${underFile} is not writable`,
      );
    });
  });
});
