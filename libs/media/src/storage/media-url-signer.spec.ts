import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { loadConfig } from '@boardroom/core';

import { createMediaUrlSigner, MediaUrlSigner } from './media-url-signer.js';

describe('MediaUrlSigner', () => {
  const signer = new MediaUrlSigner(Buffer.from('a'.repeat(32)));
  const now = Date.UTC(2026, 10, 1);
  const expires = now / 1000 + 60;
  const key = 'photos/p-1/1080.webp';
  const signature = signer.sign(key, expires);

  it('signs with base64url HMAC-SHA256', () => {
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('accepts its own signature until the expiry', () => {
    expect(signer.check(key, String(expires), signature, now)).toBe('valid');
    expect(signer.check(key, String(expires), signature, expires * 1000 - 1)).toBe('valid');
  });

  it('calls a good signature past its expiry expired', () => {
    expect(signer.check(key, String(expires), signature, expires * 1000)).toBe('expired');
  });

  it('refuses another key, another expiry or a changed signature', () => {
    expect(signer.check('photos/p-2/1080.webp', String(expires), signature, now)).toBe('invalid');
    expect(signer.check(key, String(expires + 3600), signature, now)).toBe('invalid');
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    expect(signer.check(key, String(expires), flipped, now)).toBe('invalid');
    expect(signer.check(key, String(expires), `${signature}A`, now)).toBe('invalid');
  });

  it('refuses a signature made with another secret', () => {
    const other = new MediaUrlSigner(Buffer.from('b'.repeat(32)));
    expect(signer.check(key, String(expires), other.sign(key, expires), now)).toBe('invalid');
  });

  it.each([
    ['missing parameters', undefined, undefined],
    ['a repeated parameter', [String(expires), String(expires)], 'x'],
    ['a non-numeric expiry', '1e10', 'x'],
  ])('refuses %s', (_case, givenExpires, givenSignature) => {
    expect(signer.check(key, givenExpires, givenSignature, now)).toBe('invalid');
  });

  describe('createMediaUrlSigner', () => {
    let dataDir: string;

    beforeAll(async () => {
      dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'boardroom-media-signer-'));
    });

    afterAll(async () => {
      await fs.rm(dataDir, { recursive: true, force: true });
    });

    it('signs with MEDIA_URL_SECRET when set', () => {
      const secret = 's'.repeat(32);
      const configured = createMediaUrlSigner(loadConfig({ DATA_DIR: dataDir, MEDIA_URL_SECRET: secret }));
      expect(configured.sign(key, expires)).toBe(new MediaUrlSigner(Buffer.from(secret)).sign(key, expires));
    });

    it('otherwise signs with a key generated once into DATA_DIR/secrets', async () => {
      const first = createMediaUrlSigner(loadConfig({ DATA_DIR: dataDir }));
      const again = createMediaUrlSigner(loadConfig({ DATA_DIR: dataDir }));
      expect(again.sign(key, expires)).toBe(first.sign(key, expires));
      expect(first.sign(key, expires)).not.toBe(signature);
      await expect(fs.readdir(path.join(dataDir, 'secrets'))).resolves.toContain('media-urls.key');
    });
  });
});
