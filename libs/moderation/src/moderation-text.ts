import { DomainError } from '@boardroom/core';
import { MODERATION_TEXT_MAX_LENGTH } from './moderation.types.js';

/** Trimmed text of at most {@link MODERATION_TEXT_MAX_LENGTH} characters, or null when empty. */
export function optionalText(text: string | null | undefined, field: string): string | null {
  const trimmed = (text ?? '').trim();
  const length = [...trimmed].length;
  if (length > MODERATION_TEXT_MAX_LENGTH) {
    throw DomainError.badInput(
      `The ${field} may have at most ${MODERATION_TEXT_MAX_LENGTH} characters (this has ${length}); shorten it.`,
      [{ field, message: `must be at most ${MODERATION_TEXT_MAX_LENGTH} characters` }],
    );
  }
  return length === 0 ? null : trimmed;
}

/** Like {@link optionalText}, but some text is needed: a decision says why. */
export function requiredText(text: string, field: string): string {
  const trimmed = optionalText(text, field);
  if (trimmed === null) {
    throw DomainError.badInput(`Say why in the ${field}: it is recorded with the decision.`, [
      { field, message: 'must not be empty' },
    ]);
  }
  return trimmed;
}
