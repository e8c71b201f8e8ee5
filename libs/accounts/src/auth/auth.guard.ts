import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard } from '@nestjs/passport';
import { DomainError, type GraphQLRequestContext } from '@boardroom/core';
import type { Role } from '../roles.js';
import type { Viewer } from '../users/user.record.js';
import { REQUIRED_ROLES } from './auth.decorators.js';

/**
 * The global guard of every GraphQL operation. A request with a bearer token
 * is authenticated (a bad, expired or forged token is UNAUTHENTICATED, even on
 * a public operation: the client should refresh); one without stays anonymous.
 * Then `@Roles()`/`@Authenticated()` are enforced.
 */
@Injectable()
export class GraphQLAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override getRequest(context: ExecutionContext) {
    return GqlExecutionContext.create(context).getContext<GraphQLRequestContext>().req;
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<string>() !== 'graphql') return true;
    const graphqlContext = GqlExecutionContext.create(context).getContext<GraphQLRequestContext>();
    if (graphqlContext.user === undefined || graphqlContext.user === null) {
      if (graphqlContext.req.headers.authorization) await super.canActivate(context);
      graphqlContext.user = (graphqlContext.req.user as Viewer | undefined) ?? null;
    }
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    const viewer = graphqlContext.user as Viewer | null;
    if (!viewer) throw new DomainError('UNAUTHENTICATED', 'Please log in first.');
    if (required.length > 0 && !required.some((role) => viewer.roles.includes(role))) {
      throw new DomainError('FORBIDDEN', `This needs the role ${required.join(' or ')}.`);
    }
    return true;
  }

  override handleRequest<T>(error: unknown, user: T, info: unknown): T {
    if (error instanceof DomainError) throw error;
    if (error || !user) {
      const expired = info instanceof Error && info.name === 'TokenExpiredError';
      throw new DomainError(
        'UNAUTHENTICATED',
        expired ? 'The access token has expired: refresh the session.' : 'The access token is not valid: log in again.',
      );
    }
    return user;
  }
}
