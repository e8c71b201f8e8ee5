import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldProblem } from './domain-error.js';

/** class-validator's nested errors as flat `{ field: "input.email", message }` rows. */
export function fieldProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** Names fields after the argument they are in (`input.email`), as a client sees them. */
class ArgumentValidationPipe extends ValidationPipe {
  /** An upload arrives as a Promise of the file: there is nothing to validate, and transforming it breaks it. */
  protected override toValidate(metadata: ArgumentMetadata): boolean {
    return metadata.metatype !== Promise && super.toValidate(metadata);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      const argument = metadata.data;
      if (!(error instanceof DomainError) || typeof argument !== 'string' || !error.details.fields) throw error;
      const fields = error.details.fields.map((problem) => ({ ...problem, field: `${argument}.${problem.field}` }));
      throw DomainError.badInput(error.message, fields);
    }
  }
}

/** Validates every resolver's arguments; a failure is BAD_USER_INPUT with `extensions.fields`. */
export function createValidationPipe(): ValidationPipe {
  return new ArgumentValidationPipe({
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const fields = fieldProblems(errors);
      const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
      return DomainError.badInput(`Please correct the input. ${summary}`, fields);
    },
  });
}
