import type { CommandOutcome } from '@quarterly/platform';
import { etagOf } from '@quarterly/platform';
import type { Response } from 'express';

/** What every command answers: where the stream is now, and whether this was a repeat. */
export interface CommandReceipt<V> {
  /** The stream's revision after the command: send it back as `If-Match`. */
  readonly version: string | null;
  /** Global position of the command's last event; pass as `?after=` to read your own write. */
  readonly position: string | null;
  /** True when the Idempotency-Key had been seen and the first result is returned. */
  readonly repeated: boolean;
  readonly resource: V;
}

/**
 * Sets the ETag, the position header and (for a repeat) `Idempotent-Replayed`, and builds the
 * body. Positions and versions are strings: they are 64-bit.
 */
export function receiptOf<S, V>(response: Response, outcome: CommandOutcome<S>, view: (state: S) => V): CommandReceipt<V> {
  response.setHeader('ETag', etagOf(outcome.revision));
  if (outcome.position !== null) response.setHeader('X-Event-Position', String(outcome.position));
  if (outcome.repeated) response.setHeader('Idempotent-Replayed', 'true');
  return {
    version: outcome.revision === null ? null : String(outcome.revision),
    position: outcome.position === null ? null : String(outcome.position),
    repeated: outcome.repeated,
    resource: view(outcome.state),
  };
}

/** The receipt of a command that creates a resource: 201 with its Location, or 200 on a repeat. */
export function createdReceiptOf<S, V>(response: Response, outcome: CommandOutcome<S>, location: string, view: (state: S) => V): CommandReceipt<V> {
  response.status(outcome.repeated ? 200 : 201).setHeader('Location', location);
  return receiptOf(response, outcome, view);
}
