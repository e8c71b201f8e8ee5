/** The error codes of CONTRACT.md that the product itself raises. */
export const DOMAIN_ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'QUERY_TOO_COMPLEX',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export interface FieldProblem {
  field: string;
  message: string;
}

/** Extra facts a client may act on; each lands in `extensions`. */
export interface ErrorDetails {
  /** Validation problems, one per field. */
  fields?: FieldProblem[];
  /** Why a CONFLICT happened, e.g. SOLD_OUT, DUPLICATE_BRAND, EMAIL_TAKEN. */
  reason?: string;
  /** RATE_LIMITED: when to try again. */
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

/**
 * The one error services throw. Its message is shown to people: say what went
 * wrong and what to do about it.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static badInput(message: string, fields?: FieldProblem[]): DomainError {
    return new DomainError('BAD_USER_INPUT', message, fields ? { fields } : {});
  }

  static notFound(what: string): DomainError {
    return new DomainError('NOT_FOUND', `${what} was not found.`);
  }

  static conflict(reason: string, message: string, details: ErrorDetails = {}): DomainError {
    return new DomainError('CONFLICT', message, { ...details, reason });
  }
}
