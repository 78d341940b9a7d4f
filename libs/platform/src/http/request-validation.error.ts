import { ValidationPipe, type ValidationError as ClassValidatorError } from '@nestjs/common';

/** One bad field of a request. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** The request body, query or headers failed validation: HTTP 400 naming every bad field. */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  constructor(readonly problems: readonly FieldProblem[]) {
    super(`invalid request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
  }
}

/** Flattens class-validator's tree into field paths (`monthlyValues[1].value`). */
export function flattenValidationErrors(errors: readonly ClassValidatorError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    // Array items read `monthlyValues[1].value`, as the domain names them.
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      // class-validator starts messages with the property name; keep the sentence after it.
      message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * The validation pipe every app uses: unknown properties are refused rather than silently
 * dropped, so a misspelt field is an error and not a lost value.
 */
export function createRequestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
  });
}
