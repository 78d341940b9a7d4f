import {
  ANY,
  NO_STREAM,
  type AllStreamResolvedEvent,
  type JSONEventData,
} from '@kurrent/kurrentdb-client';
import type { NewEvent } from '../event-store.port';
import {
  eventTypeRegex,
  fromResolvedEvent,
  KurrentDbEventDecodeError,
  StreamNamer,
  toAllPosition,
  toEventData,
  toStreamState,
} from './kurrentdb-event.mapper';

const submitted: NewEvent = {
  id: '7c1f3a52-9a4e-4d0b-8e51-0d9d7f3f2a10',
  type: 'ReturnSubmitted',
  schemaVersion: 2,
  data: { kpi: 'ASC 01', period: '2024/25 Q3', value: '72.5' },
  metadata: {
    actor: 'user:alice',
    correlationId: 'corr-1',
    causationId: 'cmd-1',
    idempotencyKey: 'key-1',
    commandDigest: 'sha256:abc',
    recordedAt: '2025-01-10T09:30:00.000Z',
  },
};

/** What the server hands back for an event written from `data`, after the JSON round trip. */
function asStored(
  data: JSONEventData,
  where: { stream: string; revision: bigint; commit: bigint },
): AllStreamResolvedEvent {
  return {
    event: {
      streamId: where.stream,
      id: data.id,
      isJson: true,
      revision: where.revision,
      type: data.type,
      created: new Date('2025-01-10T09:30:01Z'),
      data: JSON.parse(JSON.stringify(data.data)),
      metadata: JSON.parse(JSON.stringify(data.metadata)),
      position: { commit: where.commit, prepare: where.commit },
    },
    commitPosition: where.commit,
  };
}

describe('KurrentDB event mapping', () => {
  describe('expected revisions', () => {
    it('maps the port states to the client stream states', () => {
      expect(toStreamState('no_stream')).toBe(NO_STREAM);
      expect(toStreamState('any')).toBe(ANY);
      expect(toStreamState(0n)).toBe(0n);
      expect(toStreamState(9_007_199_254_740_993n)).toBe(9_007_199_254_740_993n);
    });

    it('refuses a negative revision rather than sending the server a magic value', () => {
      expect(() => toStreamState(-1n)).toThrow(RangeError);
    });
  });

  describe('writing', () => {
    it('keeps the port event id so that a retried append is recognised', () => {
      expect(toEventData(submitted).id).toBe(submitted.id);
    });

    it('stores correlation and causation under the server names, with our fields and schemaVersion', () => {
      const data = toEventData(submitted);
      expect(data.contentType).toBe('application/json');
      expect(data.type).toBe('ReturnSubmitted');
      expect(data.data).toEqual(submitted.data);
      expect(data.metadata).toEqual({
        $correlationId: 'corr-1',
        $causationId: 'cmd-1',
        actor: 'user:alice',
        recordedAt: '2025-01-10T09:30:00.000Z',
        schemaVersion: 2,
        idempotencyKey: 'key-1',
        commandDigest: 'sha256:abc',
      });
    });

    it('leaves absent optional fields out instead of storing nulls', () => {
      const { idempotencyKey: _key, commandDigest: _digest, ...required } = submitted.metadata;
      const metadata = toEventData({ ...submitted, metadata: required }).metadata as object;
      expect(Object.keys(metadata).sort()).toEqual(
        ['$causationId', '$correlationId', 'actor', 'recordedAt', 'schemaVersion'].sort(),
      );
    });

    it('refuses an event without data', () => {
      expect(() => toEventData({ ...submitted, data: undefined })).toThrow(TypeError);
    });
  });

  describe('reading', () => {
    const namer = new StreamNamer();

    it('restores the port event, with revision and commit position as bigint', () => {
      const stored = asStored(toEventData(submitted), {
        stream: 'return-ASC01-2024Q3',
        revision: 3n,
        commit: 18_446_744_073_709_551_000n,
      });
      expect(fromResolvedEvent(stored, namer)).toEqual({
        ...submitted,
        streamId: 'return-ASC01-2024Q3',
        revision: 3n,
        position: 18_446_744_073_709_551_000n,
      });
    });

    it('keeps the hash chain link, so the verifier sees what the chaining store wrote', () => {
      const chained: NewEvent = { ...submitted, metadata: { ...submitted.metadata, integrity: { previousHash: '0'.repeat(64), hash: 'ab'.repeat(32) } } };
      const stored = asStored(toEventData(chained), { stream: 's', revision: 0n, commit: 7n });
      expect(fromResolvedEvent(stored, namer)?.metadata).toEqual(chained.metadata);
      const broken = asStored({ ...toEventData(submitted), metadata: { ...(toEventData(submitted).metadata as object), integrity: { hash: 1 } } }, {
        stream: 's',
        revision: 0n,
        commit: 8n,
      });
      expect(() => fromResolvedEvent(broken, namer)).toThrow(/metadata\.integrity/);
    });

    it('takes the position from the resolved event when the record lacks one', () => {
      const stored = asStored(toEventData(submitted), { stream: 's', revision: 0n, commit: 42n });
      const { position: _position, ...withoutPosition } = stored.event!;
      const resolved = { event: withoutPosition, commitPosition: 42n } as AllStreamResolvedEvent;
      expect(fromResolvedEvent(resolved, namer)?.position).toBe(42n);
    });

    it('refuses the "unknown position" sentinel of servers before 22.6', () => {
      const stored = asStored(toEventData(submitted), {
        stream: 's',
        revision: 0n,
        commit: 0xffff_ffff_ffff_ffffn,
      });
      expect(() => fromResolvedEvent(stored, namer)).toThrow(KurrentDbEventDecodeError);
    });

    it('skips system events and events whose link target is gone', () => {
      const system = asStored(
        { ...toEventData(submitted), type: '$metadata' },
        { stream: '$$s', revision: 0n, commit: 1n },
      );
      expect(fromResolvedEvent(system, namer)).toBeUndefined();
      expect(fromResolvedEvent({ commitPosition: 5n }, namer)).toBeUndefined();
    });

    it('rejects an event it did not write, naming the stream and the problem', () => {
      const foreign = asStored(
        { ...toEventData(submitted), metadata: { $correlationId: 'x', schemaVersion: 1 } },
        { stream: 'legacy-1', revision: 0n, commit: 7n },
      );
      expect(() => fromResolvedEvent(foreign, namer)).toThrow(
        /event .* in stream legacy-1: metadata\.actor is not a string/,
      );
      const binary = asStored(toEventData(submitted), { stream: 'b', revision: 0n, commit: 8n });
      const notJson = { ...binary, event: { ...binary.event!, isJson: false } } as AllStreamResolvedEvent;
      expect(() => fromResolvedEvent(notJson, namer)).toThrow(KurrentDbEventDecodeError);
      const noVersion = asStored(
        { ...toEventData(submitted), metadata: { ...(toEventData(submitted).metadata as object), schemaVersion: '2' } },
        { stream: 'c', revision: 0n, commit: 9n },
      );
      expect(() => fromResolvedEvent(noVersion, namer)).toThrow(/schemaVersion/);
    });

    it('strips the namespace and ignores streams outside it', () => {
      const spaced = new StreamNamer('test-42:');
      expect(spaced.toStored('return-1')).toBe('test-42:return-1');
      const inside = asStored(toEventData(submitted), {
        stream: 'test-42:return-1',
        revision: 0n,
        commit: 10n,
      });
      const outside = asStored(toEventData(submitted), { stream: 'return-1', revision: 0n, commit: 11n });
      expect(fromResolvedEvent(inside, spaced)?.streamId).toBe('return-1');
      expect(fromResolvedEvent(outside, spaced)).toBeUndefined();
    });
  });

  describe('positions and filters', () => {
    it('addresses an event by its commit position alone', () => {
      expect(toAllPosition(1234n)).toEqual({ commit: 1234n, prepare: 1234n });
    });

    it('filters out system events by default', () => {
      const regex = new RegExp(eventTypeRegex());
      expect(regex.test('ReturnSubmitted')).toBe(true);
      expect(regex.test('$metadata')).toBe(false);
      expect(regex.test('$>')).toBe(false);
    });

    it('matches exactly the listed event types, escaping regex characters', () => {
      const regex = new RegExp(eventTypeRegex(['ReturnSubmitted', 'Odd.Type+', '$statsCollected']));
      expect(regex.test('ReturnSubmitted')).toBe(true);
      expect(regex.test('Odd.Type+')).toBe(true);
      expect(regex.test('OddxType')).toBe(false);
      expect(regex.test('ReturnSubmittedLate')).toBe(false);
      expect(regex.test('$statsCollected')).toBe(false);
    });

    it('matches nothing for an empty list of types', () => {
      expect(new RegExp(eventTypeRegex([])).test('ReturnSubmitted')).toBe(false);
    });
  });
});
