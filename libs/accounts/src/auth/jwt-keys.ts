import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, localSecret } from '@boardroom/core';

export interface JwtKey {
  kid: string;
  secret: string;
}

/**
 * The keys of access tokens: the first signs, all verify (two during a
 * rotation), each named by the `kid` in the token header. Without
 * JWT_SIGNING_KEYS, one key is generated once into the data folder.
 */
@Injectable()
export class JwtKeys {
  readonly signing: JwtKey;
  private readonly byKid: Map<string, string>;

  constructor(config: AppConfig) {
    const keys = config.auth.jwtKeys ?? [JwtKeys.localKey(config.dataDir)];
    this.signing = keys[0]!;
    this.byKid = new Map(keys.map((key) => [key.kid, key.secret]));
  }

  secretFor(kid: string | undefined): string | undefined {
    return kid === undefined ? undefined : this.byKid.get(kid);
  }

  private static localKey(dataDir: string): JwtKey {
    const secret = localSecret(dataDir, 'jwt-signing', 48).toString('base64url');
    // A kid derived from the key names it without revealing it.
    return { kid: `local-${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`, secret };
  }
}
