import type { ApiHeaderOptions } from '@nestjs/swagger';
import { parseIfMatch } from '@quarterly/platform';

// The conditional and idempotent-request headers every command endpoint documents.

export function ifMatchHeader(resource: string, required = false): ApiHeaderOptions {
  return required
    ? { name: 'If-Match', required: true, description: `Required: the ETag of the ${resource} version you reviewed (428 without it, 412 if it changed).` }
    : { name: 'If-Match', required: false, description: `The ETag you read; refused with 412 if the ${resource} changed since.` };
}

export const IDEMPOTENCY_KEY_HEADER: ApiHeaderOptions = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A repeat with the same key changes nothing and answers as the first time.',
};

/** The `If-Match` header as a use case's target takes it: `{ ifMatch }`, or nothing when absent (400 when malformed). */
export function ifMatchOf(header: string | undefined): { ifMatch?: bigint } {
  const ifMatch = parseIfMatch(header);
  return ifMatch === undefined ? {} : { ifMatch };
}
