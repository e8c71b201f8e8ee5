import type { NextFunction, Request, Response } from 'express';

/**
 * Refuses a multipart request to /graphql that lacks the preflight header, before
 * any of its body is read. A browser sends a cross-site multipart form without a
 * CORS preflight, so without this a hostile page could upload in a user's name.
 * Apollo's CSRF prevention makes the same check, but only after the upload
 * middleware has parsed the body.
 */
export function multipartPreflightMiddleware(req: Request, res: Response, next: NextFunction): void {
  const multipart = (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');
  const preflighted = Boolean(req.headers['apollo-require-preflight'] || req.headers['x-apollo-operation-name']);
  if (multipart && !preflighted) {
    res.status(400).json({
      errors: [
        {
          message:
            'This multipart request was refused to prevent cross-site request forgery. ' +
            'Send the header "apollo-require-preflight: true" with uploads.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    return;
  }
  next();
}
