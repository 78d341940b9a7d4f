import type { Caller } from '@quarterly/application';
import { type Clock, type CommandEnvelope, type Principal } from '@quarterly/platform';
import { createHash, randomUUID } from 'node:crypto';

export interface PageCommandOptions {
  /** The version the person saw: a change since then is refused, never overwritten. */
  readonly ifMatch?: bigint;
  /** One per rendered form: a double click or a resubmitted form appends nothing twice. */
  readonly idempotencyKey?: string;
  /** The request's correlation id (the one its response and log line carry). @defaultValue a new one */
  readonly correlationId?: string;
}

/**
 * Who sends a page's command, and its envelope: the pages' counterpart of the JSON API's
 * `commandEnvelopeFrom`. With an idempotency key, `what` (the command's name, target and data)
 * is digested so that the same key with a different form is refused rather than replayed.
 */
export function pageCallerOf(principal: Principal, clock: Clock, what: string, options: PageCommandOptions = {}): Caller {
  const requestId = randomUUID();
  const envelope: CommandEnvelope = {
    actor: principal.id,
    now: clock.now().toISOString(),
    correlationId: options.correlationId ?? requestId,
    causationId: requestId,
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey, commandDigest: createHash('sha256').update(what).digest('base64url') } : {}),
  };
  return { principal, envelope };
}

/** The idempotency key a rendered form carries in `_idempotencyKey`, when it is well formed. */
export function formIdempotencyKeyOf(body: Record<string, unknown>): { idempotencyKey?: string } {
  const key = body['_idempotencyKey'];
  return typeof key === 'string' && /^[A-Za-z0-9._:-]{8,128}$/.test(key) ? { idempotencyKey: key } : {};
}

/** A form's text fields, trimmed; the framework's own fields (`_csrf`, `_idempotencyKey`) left out. */
export function formTextFields(body: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!name.startsWith('_') && typeof value === 'string') values[name] = value.trim();
  }
  return values;
}
