import { createHmac, timingSafeEqual } from 'node:crypto';

import { localSecret, type AppConfig } from '@boardroom/core';

/** What a signed media URL's parameters amount to: good, altered or forged, or out of date. */
export type MediaUrlCheck = 'valid' | 'invalid' | 'expired';

/**
 * Signs and checks the `expires` and `signature` parameters of local media
 * URLs: an HMAC-SHA256 of the key and the expiry, so neither can be changed
 * without the secret.
 */
export class MediaUrlSigner {
  constructor(private readonly secret: Buffer) {}

  /** @param expires unix seconds after which the URL is refused. */
  sign(key: string, expires: number): string {
    // A key never contains a newline (storage-key.ts), so key and expiry cannot be shifted into each other.
    return createHmac('sha256', this.secret).update(`${key}\n${expires}`).digest('base64url');
  }

  /** Checks the parameters as they arrived in a query string, against the time `nowMs`. */
  check(key: string, expires: unknown, signature: unknown, nowMs = Date.now()): MediaUrlCheck {
    if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires) || typeof signature !== 'string') return 'invalid';
    const expected = Buffer.from(this.sign(key, Number(expires)));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return Number(expires) * 1000 <= nowMs ? 'expired' : 'valid';
  }
}

/** The signer of this install: MEDIA_URL_SECRET, or a key generated once into DATA_DIR/secrets. */
export function createMediaUrlSigner(config: AppConfig): MediaUrlSigner {
  return new MediaUrlSigner(
    config.media.urlSecret ? Buffer.from(config.media.urlSecret, 'utf8') : localSecret(config.dataDir, 'media-urls'),
  );
}
