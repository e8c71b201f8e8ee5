import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { localSecret } from './local-secret.js';

/**
 * Keyed hashes of device and network fingerprints: equal inputs give equal
 * hashes (what the fraud detectors compare), but without the key a hash
 * cannot be turned back into an address or matched against a list of them.
 */
@Injectable()
export class FingerprintHasher {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = config.fingerprintSecret
      ? Buffer.from(config.fingerprintSecret, 'utf8')
      : localSecret(config.dataDir, 'fingerprint');
  }

  hash(kind: 'device' | 'network', value: string): string {
    return createHmac('sha256', this.key).update(`${kind}\0${value}`).digest('base64url');
  }
}
