import { createEventIdGenerator, newEventId } from './event-id';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The milliseconds an id carries in its first 48 bits. */
function timeOf(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** The 12-bit counter after the version digit. */
function counterOf(id: string): number {
  return parseInt(id.slice(15, 18), 16);
}

describe('newEventId', () => {
  it('is a version 7, variant 10 UUID carrying the current time', () => {
    const before = Date.now();
    const id = newEventId();
    const after = Date.now();
    expect(id).toMatch(UUID_V7);
    expect(timeOf(id)).toBeGreaterThanOrEqual(before);
    expect(timeOf(id)).toBeLessThanOrEqual(after + 1);
  });

  it('makes ids that sort in the order they were made, and never the same one twice', () => {
    const ids = Array.from({ length: 20_000 }, () => newEventId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('createEventIdGenerator', () => {
  it('writes the clock into the first 48 bits, zero-padded', () => {
    const next = createEventIdGenerator({ now: () => 0x0123_4567_89ab, fillRandom: (bytes) => bytes.fill(0) });
    expect(next()).toBe('01234567-89ab-7000-8000-000000000000');
    expect(createEventIdGenerator({ now: () => 1, fillRandom: (bytes) => bytes.fill(0xff) })()).toBe('00000000-0001-77ff-bfff-ffffffffffff');
  });

  it('counts up within one millisecond from a random start below 2,048', () => {
    const next = createEventIdGenerator({ now: () => 1_000, fillRandom: (bytes) => bytes.fill(0xff) });
    const first = next();
    const second = next();
    expect(counterOf(first)).toBe(0x7ff);
    expect(counterOf(second)).toBe(0x800);
    expect(timeOf(second)).toBe(1_000);
    expect(second > first).toBe(true);
  });

  it('moves the time on by one millisecond when the counter runs out, and restarts the counter', () => {
    const next = createEventIdGenerator({ now: () => 5_000, fillRandom: (bytes) => bytes.fill(0) });
    const ids = Array.from({ length: 4_097 }, () => next());
    expect(counterOf(ids[4_095]!)).toBe(0xfff);
    expect(timeOf(ids[4_095]!)).toBe(5_000);
    expect(timeOf(ids[4_096]!)).toBe(5_001);
    expect(counterOf(ids[4_096]!)).toBe(0);
    expect([...ids].sort()).toEqual(ids);
  });

  it('never goes back when the clock does', () => {
    let clock = 10_000;
    const next = createEventIdGenerator({ now: () => clock, fillRandom: (bytes) => bytes.fill(0x11) });
    const before = next();
    clock = 9_000;
    const after = next();
    expect(timeOf(after)).toBe(10_000);
    expect(after > before).toBe(true);
    clock = 10_002;
    expect(timeOf(next())).toBe(10_002);
  });

  it('takes fresh random bytes once its pool of 256 ids is used up', () => {
    let fills = 0;
    let clock = 0;
    const next = createEventIdGenerator({ now: () => (clock += 1), fillRandom: (bytes) => bytes.fill(++fills) });
    const ids = Array.from({ length: 257 }, () => next());
    expect(fills).toBe(2);
    expect(ids[255]!.slice(-12)).toBe('010101010101');
    expect(ids[256]!.slice(-12)).toBe('020202020202');
  });
});
