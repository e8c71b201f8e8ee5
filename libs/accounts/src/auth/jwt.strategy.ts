import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectDataSource } from '@nestjs/typeorm';
import jwt from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { DataSource } from 'typeorm';
import { DomainError } from '@boardroom/core';
import { SessionsRepository } from '../sessions/sessions.repository.js';
import type { Viewer } from '../users/user.record.js';
import { JWT_ISSUER, type AccessTokenClaims } from './access-tokens.js';
import { JwtKeys } from './jwt-keys.js';

/**
 * passport-jwt: checks signature (by kid), expiry and issuer, then looks the
 * user and session up on every request, so that a ban, a revoked session or a
 * new role takes effect at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    keys: JwtKeys,
    private readonly sessions: SessionsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      secretOrKeyProvider: (_request: unknown, rawToken: string, done: (error: unknown, secret?: string) => void) => {
        const kid = jwt.decode(rawToken, { complete: true })?.header.kid;
        const secret = keys.secretFor(kid);
        if (secret) done(null, secret);
        else done(new Error('unknown signing key'));
      },
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Viewer> {
    const holder = await this.sessions.findHolder(this.dataSource.manager, claims.sub, claims.sid);
    if (!holder || holder.sessionRevokedAt) {
      throw new DomainError('UNAUTHENTICATED', 'This session has ended. Please log in again.');
    }
    if (holder.bannedAt) throw new DomainError('FORBIDDEN', 'This account has been banned.');
    return {
      id: holder.userId,
      roles: holder.roles,
      sessionId: claims.sid,
      ...(claims.exp ? { accessExpiresAt: new Date(claims.exp * 1000) } : {}),
    };
  }
}
