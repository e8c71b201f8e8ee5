import { randomBytes } from 'node:crypto';
import { Pseudonymizer } from './pseudonyms.js';

describe('Pseudonymizer', () => {
  const key = randomBytes(32);

  it('gives an id the same pseudonym every time under one key, and another under another key', () => {
    const id = '6f1c2b4e-0a51-4a8e-9a43-3a2f5d0c9b11';
    const first = new Pseudonymizer(key).of('user', id);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(new Pseudonymizer(key).of('user', id)).toBe(first);
    expect(new Pseudonymizer(randomBytes(32)).of('user', id)).not.toBe(first);
    // Kinds are namespaces: the same id as a photo is another pseudonym.
    expect(new Pseudonymizer(key).of('photo', id)).not.toBe(first);
    expect(first).not.toContain(id.slice(0, 8));
  });

  it('refuses a short key', () => {
    expect(() => new Pseudonymizer(randomBytes(16))).toThrow(RangeError);
  });
});
