import { ValidationPipe, type ArgumentMetadata, type ValidationError as ClassValidatorError } from '@nestjs/common';

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
  return new DepthLimitedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flattenValidationErrors(errors)),
  });
}

/** Deeper than any request Quarterly accepts (the deepest, `monthlyValues[1].value`, is 3). */
export const MAX_REQUEST_DEPTH = 32;

/**
 * The field under which `value` nests deeper than `maxDepth` objects and arrays (`body` when the
 * value itself is the culprit), or undefined. Iterative, so no input can exhaust the stack.
 */
export function fieldNestedDeeperThan(value: unknown, maxDepth: number): string | undefined {
  const pending: Array<{ value: unknown; depth: number; field: string }> = [{ value, depth: 0, field: 'body' }];
  while (pending.length > 0) {
    const item = pending.pop()!;
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= maxDepth) return item.field;
    for (const [key, child] of Object.entries(item.value)) {
      const field = item.depth === 0 ? (Array.isArray(item.value) ? `body[${key}]` : key) : item.field;
      pending.push({ value: child, depth: item.depth + 1, field });
    }
  }
  return undefined;
}

/**
 * Refuses a body, query or parameter nested deeper than {@link MAX_REQUEST_DEPTH} with a 400 naming
 * the field, before class-transformer and class-validator walk it recursively (a body of a few
 * kilobytes of `[[[[…]]]]` would otherwise exhaust the stack and fail as a 500).
 */
class DepthLimitedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const field = fieldNestedDeeperThan(value, MAX_REQUEST_DEPTH);
    if (field !== undefined) throw new RequestValidationError([{ field, message: `nests deeper than ${MAX_REQUEST_DEPTH} levels` }]);
    return super.transform(value, metadata);
  }
}
