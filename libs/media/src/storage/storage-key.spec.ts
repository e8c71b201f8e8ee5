import path from 'node:path';

import fc from 'fast-check';

import { InvalidStorageKeyError } from './storage-errors.js';
import { assertValidStorageKey, MAX_STORAGE_KEY_LENGTH } from './storage-key.js';

describe('assertValidStorageKey', () => {
  it.each(['a', 'avatars/3f2a.webp', 'a/b_c-d.e/f.jpg', '.hidden', 'a/.b', 'x'.repeat(MAX_STORAGE_KEY_LENGTH)])(
    'accepts %j',
    (key) => expect(() => assertValidStorageKey(key)).not.toThrow(),
  );

  it.each([
    ['', 'empty'],
    ['x'.repeat(MAX_STORAGE_KEY_LENGTH + 1), 'longer than 512'],
    ['a b', 'only letters'],
    ['a\\b', 'only letters'],
    ['a%2Fb', 'only letters'],
    ['naïve', 'only letters'],
    ['/etc/passwd', 'start with "/"'],
    ['../x', 'contain ".."'],
    ['a/../../x', 'contain ".."'],
    ['a..b', 'contain ".."'],
    ['a//b', 'empty or "." path segments'],
    ['a/', 'empty or "." path segments'],
    ['./a', 'empty or "." path segments'],
    ['a/./b', 'empty or "." path segments'],
  ])('refuses %j saying why', (key, reason) => {
    expect(() => assertValidStorageKey(key)).toThrow(InvalidStorageKeyError);
    expect(() => assertValidStorageKey(key)).toThrow(reason);
  });

  it('only accepts keys that name a file strictly inside the storage folder', () => {
    const root = path.resolve('/srv/storage');
    const keyChars = fc.constantFrom(...'ab./_-\\%~: '.split(''));
    fc.assert(
      fc.property(fc.string({ unit: keyChars, maxLength: 12 }), (key) => {
        try {
          assertValidStorageKey(key);
        } catch {
          return;
        }
        const resolved = path.resolve(root, key);
        expect(resolved.startsWith(root + path.sep)).toBe(true);
        expect(path.relative(root, resolved)).toBe(key);
      }),
      { numRuns: 2000 },
    );
  });
});
