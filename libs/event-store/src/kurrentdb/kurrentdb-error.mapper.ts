import {
  AccessDeniedError,
  DeadlineExceededError,
  InvalidArgumentError,
  NotLeaderError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
  type ExpectedRevision,
} from '../event-store.port';

/** gRPC status codes (from grpc's `status` enum), named here to avoid a direct dependency. */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/**
 * The client does not convert every failure into its own classes: a connection refused during
 * an append surfaces as grpc-js's bare `ServiceError` (an `Error` with `code: 14`), while the
 * same failure during a read is the client's `UnavailableError` without a code. Both mean "the
 * store cannot be reached". A deadline, or a node that is no longer the leader, is treated the
 * same way: the caller should retry later, and a retried append is safe because event ids are
 * deterministic.
 */
export function isUnavailable(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof NotLeaderError
  ) {
    return true;
  }
  if (!(error instanceof Error) || !('code' in error)) return false;
  return error.code === GRPC_UNAVAILABLE || error.code === GRPC_DEADLINE_EXCEEDED;
}

/** The stream does not exist: the client throws this while a stream read is being iterated. */
export function isStreamNotFound(error: unknown): boolean {
  return error instanceof StreamNotFoundError;
}

/**
 * A failure that resubscribing cannot cure: the credentials or the request itself are wrong.
 * Everything else that ends a subscription is retried with backoff.
 */
export function isPermanentSubscriptionError(error: unknown): boolean {
  return error instanceof AccessDeniedError || error instanceof InvalidArgumentError;
}

/** The client's unavailability as the port's error; anything else unchanged. */
export function toPortError(error: unknown, operation: string): unknown {
  if (isUnavailable(error)) {
    const detail = error instanceof Error && error.message ? `: ${error.message}` : '';
    return new EventStoreUnavailableError(`EventStoreDB ${operation} failed${detail}`, {
      cause: error,
    });
  }
  return error;
}

/**
 * The client's errors from an append as the port's: a concurrency conflict becomes
 * {@link WrongExpectedRevisionError} with the stream's actual revision.
 */
export function toPortAppendError(
  error: unknown,
  streamId: string,
  expected: ExpectedRevision,
): unknown {
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(streamId, expected, toActualRevision(error.actualState));
  }
  return toPortError(error, `append to ${streamId}`);
}

/**
 * The server reports a stream that does not exist as `no_stream` or, on some paths, as a
 * negative revision (-1 for none, -5/-6 for deleted/tombstoned); the port knows only
 * `no_stream` for all of them.
 */
export function toActualRevision(actual: bigint | 'no_stream'): bigint | 'no_stream' {
  return actual === 'no_stream' || actual < 0n ? 'no_stream' : actual;
}
