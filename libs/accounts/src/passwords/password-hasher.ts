import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { argon2id, argon2Verify } from 'hash-wasm';
import { ARGON2_PARAMETERS, readArgon2Parameters } from './argon2-parameters.js';

// hash-wasm (WebAssembly) rather than the native `argon2` package: argon2 0.45's
// prebuilt binary needs Node-API 10 and crashes Node 20, so it only works where
// the install script can compile it (not in the slim Docker image).
// Cost of that choice: the work runs on the event loop (about 0.1 s per call here).

/**
 * A hasher that replaces this one in a simulation only (`npm run cli -- simulate`, whose context
 * alone provides it): simulated worlds sign up thousands of accounts. No setting reaches it.
 */
export const SIMULATION_PASSWORD_HASHER = Symbol('SIMULATION_PASSWORD_HASHER');

@Injectable()
export class PasswordHasher {
  private dummyHash?: Promise<string>;

  async hash(password: string): Promise<string> {
    const { timeCost, memoryCost, parallelism, hashLength, saltLength } = ARGON2_PARAMETERS;
    return argon2id({
      password,
      salt: randomBytes(saltLength),
      iterations: timeCost,
      memorySize: memoryCost,
      parallelism,
      hashLength,
      outputType: 'encoded',
    });
  }

  /** False for a wrong password and for a stored value that is not an argon2 hash. */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      readArgon2Parameters(hash);
      return await argon2Verify({ hash, password });
    } catch {
      return false;
    }
  }

  /**
   * The same work as verifying a wrong password, for a log-in whose email is
   * unknown: otherwise the quicker answer would tell which emails have accounts.
   */
  async verifyAgainstNothing(password: string): Promise<false> {
    // The promise is cached so concurrent first callers share one computation.
    this.dummyHash ??= this.hash(randomBytes(16).toString('base64url'));
    try {
      await this.verify(await this.dummyHash, password);
    } catch {
      this.dummyHash = undefined;
    }
    return false;
  }

  /** True when the hash is weaker than the current parameters: re-hash it at the next log-in. */
  needsRehash(hash: string): boolean {
    try {
      const stored = readArgon2Parameters(hash);
      return (
        stored.variant !== ARGON2_PARAMETERS.variant ||
        stored.version < ARGON2_PARAMETERS.version ||
        stored.memoryCost < ARGON2_PARAMETERS.memoryCost ||
        stored.timeCost < ARGON2_PARAMETERS.timeCost ||
        stored.parallelism < ARGON2_PARAMETERS.parallelism
      );
    } catch {
      // Unreadable: replace it with one that is.
      return true;
    }
  }
}
