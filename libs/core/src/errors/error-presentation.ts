import type { ErrorCode } from './domain-error.js';

export interface ErrorPresentation {
  /** HTTP status when the error ends the whole request (not a field error). */
  httpStatus: number;
  /** Whether the message reaches the client; otherwise it is masked. */
  exposeMessage: boolean;
}

/**
 * How each code is presented. The switch is exhaustive: adding a code without
 * deciding how clients see it does not compile.
 */
export function presentationOf(code: ErrorCode): ErrorPresentation {
  switch (code) {
    case 'BAD_USER_INPUT':
      return { httpStatus: 400, exposeMessage: true };
    case 'UNAUTHENTICATED':
      return { httpStatus: 401, exposeMessage: true };
    case 'FORBIDDEN':
      return { httpStatus: 403, exposeMessage: true };
    case 'NOT_FOUND':
      return { httpStatus: 404, exposeMessage: true };
    case 'CONFLICT':
      return { httpStatus: 409, exposeMessage: true };
    case 'RATE_LIMITED':
      return { httpStatus: 429, exposeMessage: true };
    case 'PAYLOAD_TOO_LARGE':
      return { httpStatus: 413, exposeMessage: true };
    case 'UNSUPPORTED_MEDIA_TYPE':
      return { httpStatus: 415, exposeMessage: true };
    case 'QUERY_TOO_COMPLEX':
      return { httpStatus: 400, exposeMessage: true };
    case 'INTERNAL_SERVER_ERROR':
      return { httpStatus: 500, exposeMessage: false };
  }
}
