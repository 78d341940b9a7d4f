import type { DecodedEvent } from '@quarterly/event-codec';
import { FoldedStreamCache } from './folded-stream.cache';

const deciderA = { name: 'a' };
const deciderB = { name: 'b' };

/** `count` events of a stream, revisions 0 to count - 1 (only the revision matters to the cache). */
function eventsUpTo(count: number): DecodedEvent[] {
  return Array.from({ length: count }, (_, revision) => ({ revision: BigInt(revision) }) as unknown as DecodedEvent);
}

describe('FoldedStreamCache', () => {
  it('gives a stream back only to the decider that folded it', () => {
    const cache = new FoldedStreamCache(100);
    cache.set('s-1', { decider: deciderA, events: eventsUpTo(2), state: 'folded by a' });

    expect(cache.get('s-1', deciderA)?.state).toBe('folded by a');
    expect(cache.get('s-1', deciderB)).toBeUndefined();
  });

  it('lets the least recently used streams go once it holds more events than its bound', () => {
    const cache = new FoldedStreamCache(10);
    cache.set('s-1', { decider: deciderA, events: eventsUpTo(4), state: 1 });
    cache.set('s-2', { decider: deciderA, events: eventsUpTo(4), state: 2 });
    cache.get('s-1', deciderA); // s-2 is now the least recently used

    cache.set('s-3', { decider: deciderA, events: eventsUpTo(4), state: 3 });

    expect(cache.get('s-2', deciderA)).toBeUndefined();
    expect(cache.get('s-1', deciderA)?.state).toBe(1);
    expect(cache.get('s-3', deciderA)?.state).toBe(3);
  });

  it('keeps the stream just folded even when every other one was used since', () => {
    const cache = new FoldedStreamCache(10);
    cache.set('s-1', { decider: deciderA, events: eventsUpTo(4), state: 1 });
    cache.set('s-2', { decider: deciderA, events: eventsUpTo(4), state: 2 });
    cache.get('s-1', deciderA);
    cache.get('s-2', deciderA);

    cache.set('s-3', { decider: deciderA, events: eventsUpTo(4), state: 3 });

    expect(cache.get('s-3', deciderA)?.state).toBe(3);
    expect(cache.size).toBe(2);
    // The older of the two used ones went, once both had had their second chance.
    expect(cache.get('s-1', deciderA)).toBeUndefined();
    expect(cache.get('s-2', deciderA)?.state).toBe(2);
  });

  it('keeps the later of two reads of a stream that finish out of order', () => {
    const cache = new FoldedStreamCache(100);
    cache.set('s-1', { decider: deciderA, events: eventsUpTo(5), state: 'later' });

    cache.set('s-1', { decider: deciderA, events: eventsUpTo(3), state: 'earlier' });

    expect(cache.get('s-1', deciderA)?.state).toBe('later');
  });

  it('holds nothing when turned off, nor a stream larger than its bound', () => {
    const off = new FoldedStreamCache(0);
    off.set('s-1', { decider: deciderA, events: eventsUpTo(1), state: 1 });
    const small = new FoldedStreamCache(3);
    small.set('s-1', { decider: deciderA, events: eventsUpTo(4), state: 1 });

    expect(off.size).toBe(0);
    expect(small.size).toBe(0);
  });
});
