import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { JwtKeys } from './jwt-keys.js';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const JWT_ISSUER = 'boardroom';

/** Claims of an access token: the user and the session (refresh-token family) it belongs to. */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  /** Set by the signer: seconds since the epoch. */
  exp?: number;
}

/** Short-lived access tokens (HS256, 15 minutes), signed with the current key. */
@Injectable()
export class AccessTokens {
  constructor(private readonly keys: JwtKeys) {}

  sign(claims: AccessTokenClaims): string {
    return jwt.sign(claims, this.keys.signing.secret, {
      algorithm: 'HS256',
      keyid: this.keys.signing.kid,
      expiresIn: ACCESS_TOKEN_SECONDS,
      issuer: JWT_ISSUER,
    });
  }
}
