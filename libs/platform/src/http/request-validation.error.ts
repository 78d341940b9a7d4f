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
  return new GuardedValidationPipe({
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
 * The first part of a request no handler should see, as a 400 problem: anything nested deeper than
 * `maxDepth` objects and arrays (named by its top-level field, `body` for the value itself), or a
 * string or property name holding the NUL character or a lone UTF-16 surrogate (named by its
 * path, `monthlyValues[0].value`). PostgreSQL cannot store NUL in text and would turn a lone
 * surrogate into U+FFFD: accepted, either would fail a projection for good or be silently changed.
 * Iterative, so no input can exhaust the stack.
 */
export function unacceptableRequestPart(value: unknown, maxDepth: number = MAX_REQUEST_DEPTH): FieldProblem | undefined {
  const pending: Array<{ value: unknown; depth: number; path: string; top: string }> = [{ value, depth: 0, path: '', top: 'body' }];
  while (pending.length > 0) {
    const item = pending.pop()!;
    if (typeof item.value === 'string') {
      const problem = textProblem(item.value);
      if (problem) return { field: item.path || 'body', message: problem };
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= maxDepth) return { field: item.top, message: `nests deeper than ${maxDepth} levels` };
    const isArray = Array.isArray(item.value);
    for (const [key, child] of Object.entries(item.value)) {
      const path = isArray ? `${item.path || 'body'}[${key}]` : item.path ? `${item.path}.${key}` : key;
      if (!isArray && textProblem(key)) {
        return { field: item.path || 'body', message: 'has a property name holding the NUL character or a lone surrogate' };
      }
      pending.push({ value: child, depth: item.depth + 1, path, top: item.depth === 0 ? path : item.top });
    }
  }
  return undefined;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it holds a lone surrogate)';
  return undefined;
}

/**
 * Refuses, with a 400 naming the field, a body, query or parameter that {@link unacceptableRequestPart}
 * finds fault with, before class-transformer and class-validator walk it recursively (a body of a
 * few kilobytes of `[[[[…]]]]` would otherwise exhaust the stack and fail as a 500).
 */
class GuardedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problem = unacceptableRequestPart(value);
    if (problem !== undefined) throw new RequestValidationError([problem]);
    return super.transform(value, metadata);
  }
}
