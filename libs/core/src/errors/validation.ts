import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldProblem } from './domain-error.js';

/** class-validator's nested errors as flat `{ field: "input.email", message }` rows. */
export function fieldProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** Validates every resolver's arguments; a failure is BAD_USER_INPUT with `extensions.fields`. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const fields = fieldProblems(errors);
      const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
      return DomainError.badInput(`Please correct the input. ${summary}`, fields);
    },
  });
}
