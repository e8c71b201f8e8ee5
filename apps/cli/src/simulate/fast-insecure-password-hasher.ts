import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { argon2id } from 'hash-wasm';
import { ARGON2_PARAMETERS, PasswordHasher } from '@boardroom/accounts';

export const FAST_HASHER_WARNING =
  'simulation: passwords hashed with a fast insecure hasher; never use this database in production';

/**
 * argon2id at its smallest cost (8 KiB, one pass) instead of OWASP's 19 MiB and two: a simulated world
 * signs up thousands of accounts, at about 0.1 s each otherwise. The hashes stay valid argon2 strings,
 * so log-in works, and `needsRehash` sees them as weak: an account logging in to a real api is
 * re-hashed at full cost. Provided only by the simulation's context, which says so on start.
 */
@Injectable()
export class FastInsecurePasswordHasher extends PasswordHasher {
  constructor() {
    super();
    new Logger('Simulation').warn(FAST_HASHER_WARNING);
  }

  override hash(password: string): Promise<string> {
    const { hashLength, saltLength } = ARGON2_PARAMETERS;
    return argon2id({
      password,
      salt: randomBytes(saltLength),
      iterations: 1,
      memorySize: 8,
      parallelism: 1,
      hashLength,
      outputType: 'encoded',
    });
  }
}
