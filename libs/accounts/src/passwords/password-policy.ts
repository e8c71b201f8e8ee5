import { DomainError } from '@boardroom/core';

export const MIN_PASSWORD_LENGTH = 10;
/** Bounds the hashing work one request can ask for. */
export const MAX_PASSWORD_LENGTH = 256;

export interface PasswordContext {
  email: string;
  handle: string;
}

const normalize = (value: string): string => value.trim().toLowerCase();

/** What is wrong with a new password, as messages for the person choosing it; empty when it is acceptable. */
export function passwordProblems(password: string, context: PasswordContext): string[] {
  const problems: string[] = [];
  // Code points, so that an emoji counts as one character, as people count it.
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (length > MAX_PASSWORD_LENGTH) problems.push(`must be at most ${MAX_PASSWORD_LENGTH} characters`);

  const candidate = normalize(password);
  const email = normalize(context.email);
  const localPart = email.slice(0, Math.max(email.lastIndexOf('@'), 0));
  const guessable: [string, string][] = [
    [email, 'must not be your email address'],
    [localPart, 'must not be the part of your email address before the @'],
    [normalize(context.handle), 'must not be your handle'],
  ];
  for (const [value, message] of guessable) {
    if (value !== '' && candidate === value) problems.push(message);
  }
  return problems;
}

/** Throws BAD_USER_INPUT with one `fields` entry per problem. */
export function assertAcceptablePassword(password: string, context: PasswordContext, field = 'password'): void {
  const problems = passwordProblems(password, context);
  if (problems.length === 0) return;
  throw DomainError.badInput(
    `Choose a stronger password: it ${problems.join('; it ')}.`,
    problems.map((message) => ({ field, message })),
  );
}
