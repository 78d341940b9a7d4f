import { createHash, randomUUID } from 'node:crypto';
import { BadRequestException } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '../auth/principal';
import type { Clock } from '../clock';
import type { CommandEnvelope } from '../commands/event-sourced-command-executor';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Builds the metadata of a user's command from its HTTP request: the authenticated actor, the
 * correlation id (`X-Correlation-Id`, or a new one), the `Idempotency-Key`, and a digest of the
 * method, path and body so that a key reused for another request is caught.
 */
export function commandEnvelopeFrom(
  request: Request & { principal?: Principal },
  clock: Clock,
  body: unknown = request.body,
): CommandEnvelope {
  if (!request.principal) throw new Error('commandEnvelopeFrom needs an authenticated request');
  const requestId = randomUUID();
  const correlationHeader = request.header('x-correlation-id');
  const idempotencyKey = request.header('idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new BadRequestException('Idempotency-Key must be 8 to 128 characters of letters, digits, . _ : -');
  }
  return {
    actor: request.principal.id,
    now: clock.now().toISOString(),
    correlationId: correlationHeader && correlationHeader.length <= 128 ? correlationHeader : requestId,
    causationId: requestId,
    // The digest only serves a key: without one there is nothing to compare it with later.
    ...(idempotencyKey !== undefined ? { idempotencyKey, commandDigest: requestDigest(request, body) } : {}),
  };
}

/** SHA-256 of the method, path and body (keys in order), so a key reused for another request is caught. */
function requestDigest(request: Request, body: unknown): string {
  return createHash('sha256')
    .update(`${request.method} ${request.path}\n${stableJson(body ?? null)}`)
    .digest('base64url');
}

/** Parses `If-Match: "3"` (or `W/"3"`) into a stream revision; `undefined` when absent. */
export function parseIfMatch(header: string | undefined): bigint | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,19})"\s*$/.exec(header);
  if (!match) throw new BadRequestException('If-Match must be the ETag of the resource, e.g. "3"');
  return BigInt(match[1]!);
}

export function etagOf(revision: bigint | null): string {
  return `"${revision === null ? 'none' : String(revision)}"`;
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
