import { PasswordHasher } from '@boardroom/accounts';
import { FastInsecurePasswordHasher } from './fast-insecure-password-hasher.js';

describe('FastInsecurePasswordHasher', () => {
  const fast = new FastInsecurePasswordHasher();

  it('makes argon2id hashes the product verifies, and marks them for re-hashing at full cost', async () => {
    const hash = await fast.hash('simulated-world-password');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=8,t=1,p=1\$/);
    const product = new PasswordHasher();
    expect(await product.verify(hash, 'simulated-world-password')).toBe(true);
    expect(await product.verify(hash, 'another password')).toBe(false);
    expect(product.needsRehash(hash)).toBe(true);
  });
});
