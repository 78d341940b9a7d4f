import { type ExpectedRevision, type NewEvent, WrongExpectedRevisionError } from './event-store.port';

/** An append without events has no revision to report; it is a caller's bug, not a no-op. */
export class EmptyAppendError extends Error {
  override readonly name = 'EmptyAppendError';
  constructor() {
    super('appendToStream needs at least one event');
  }
}

export function assertAppendable(events: readonly NewEvent[]): void {
  if (events.length === 0) throw new EmptyAppendError();
}

/** Throws {@link WrongExpectedRevisionError} unless a stream at `actual` satisfies `expected`. */
export function checkExpectedRevision(
  streamId: string,
  expected: ExpectedRevision,
  actual: bigint | 'no_stream',
): void {
  const satisfied = expected === 'any' || expected === actual;
  if (!satisfied) throw new WrongExpectedRevisionError(streamId, expected, actual);
}
