import type { Request, Response } from 'express';

/** What every resolver gets as GraphQL context, over HTTP or a WebSocket. */
export interface GraphQLRequestContext {
  req: Request;
  res?: Response;
  /** Set by the accounts module's authentication. */
  user?: { id: string; roles: string[] } | null;
}
