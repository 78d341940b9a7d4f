import {
  AccessDeniedError,
  DeadlineExceededError,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.port';
import {
  isPermanentSubscriptionError,
  isStreamNotFound,
  isUnavailable,
  toPortAppendError,
  toPortError,
} from './kurrentdb-error.mapper';

/** grpc-js's ServiceError as an append's sink rejects with it when the server is down. */
function grpcServiceError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details });
}

describe('KurrentDB error mapping', () => {
  describe('concurrency conflicts', () => {
    it('reports the stream revision the server found', () => {
      const conflict = new WrongExpectedVersionError(undefined, {
        streamName: 'return-1',
        expected: 2n,
        current: 5n,
      });
      const mapped = toPortAppendError(conflict, 'return-1', 2n);
      expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
      expect(mapped).toMatchObject({ streamId: 'return-1', expected: 2n, actual: 5n });
    });

    it('reports a missing stream as no_stream', () => {
      const conflict = new WrongExpectedVersionError(undefined, {
        streamName: 'return-1',
        expected: 0n,
        current: 'no_stream',
      });
      expect(toPortAppendError(conflict, 'return-1', 0n)).toMatchObject({ actual: 'no_stream' });
    });

    it('reports the negative revisions some paths use for a missing stream as no_stream', () => {
      const conflict = new WrongExpectedVersionError(undefined, {
        streamName: 'return-1',
        expected: 'no_stream',
        current: -1n,
      });
      expect(toPortAppendError(conflict, 'return-1', 'no_stream')).toMatchObject({
        expected: 'no_stream',
        actual: 'no_stream',
      });
    });

    it('uses the port stream id, not the namespaced name the server saw', () => {
      const conflict = new WrongExpectedVersionError(undefined, {
        streamName: 'test-1:return-1',
        expected: 0n,
        current: 1n,
      });
      expect(toPortAppendError(conflict, 'return-1', 0n)).toMatchObject({ streamId: 'return-1' });
    });
  });

  describe('unavailability', () => {
    it.each([
      ['the client UnavailableError from a read', new UnavailableError(undefined, 'UnavailableError')],
      [
        'the client UnavailableError built from a gRPC status',
        new UnavailableError(grpcServiceError(14, 'UNAVAILABLE: No connection established') as never),
      ],
      ['a bare gRPC UNAVAILABLE (code 14) from an append', grpcServiceError(14, 'UNAVAILABLE')],
      ['a bare gRPC DEADLINE_EXCEEDED (code 4)', grpcServiceError(4, 'DEADLINE_EXCEEDED')],
      ['the client DeadlineExceededError', new DeadlineExceededError(undefined, 'deadline')],
    ])('maps %s to EventStoreUnavailableError', (_label, error) => {
      expect(isUnavailable(error)).toBe(true);
      const mapped = toPortError(error, 'read of $all');
      expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
      expect((mapped as Error).message).toMatch(/^EventStoreDB read of \$all failed/);
      expect((mapped as Error).cause).toBe(error);
    });

    it('maps unavailability during an append too', () => {
      expect(toPortAppendError(grpcServiceError(14, 'UNAVAILABLE'), 'return-1', 'any')).toBeInstanceOf(
        EventStoreUnavailableError,
      );
    });

    it('passes other errors through unchanged', () => {
      const denied = new AccessDeniedError(undefined, 'Access denied');
      const deleted = StreamDeletedError.fromStreamName('return-1');
      const invalid = grpcServiceError(3, 'INVALID_ARGUMENT');
      for (const error of [denied, deleted, invalid, new TypeError('bug')]) {
        expect(isUnavailable(error)).toBe(false);
        expect(toPortError(error, 'x')).toBe(error);
        expect(toPortAppendError(error, 'return-1', 0n)).toBe(error);
      }
      expect(isUnavailable('14')).toBe(false);
    });
  });

  it('recognises a missing stream', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'return-1'))).toBe(true);
    expect(isStreamNotFound(StreamDeletedError.fromStreamName('return-1'))).toBe(false);
  });

  it('gives up on a subscription only for errors a retry cannot cure', () => {
    expect(isPermanentSubscriptionError(new AccessDeniedError(undefined, 'denied'))).toBe(true);
    expect(isPermanentSubscriptionError(new UnavailableError(undefined, 'down'))).toBe(false);
    expect(isPermanentSubscriptionError(grpcServiceError(14, 'UNAVAILABLE'))).toBe(false);
  });
});
