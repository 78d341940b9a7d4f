import type { ApiHeaderOptions } from '@nestjs/swagger';

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
