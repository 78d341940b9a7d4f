import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

/** The definition, written plainly: keys sorted at every level, `JSON.stringify` for the rest. */
function plainCanonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : plainCanonical(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${plainCanonical(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('canonicalJson (the fast one) against the plain definition', () => {
  it('writes the same text for any JSON value, keys in any order, any Unicode (fixed seed)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ depthSize: 'medium' }), fc.jsonValue({ depthSize: 'small', stringUnit: 'binary' }), (ascii, unicode) => {
        expect(canonicalJson(ascii)).toBe(plainCanonical(ascii));
        expect(canonicalJson(unicode)).toBe(plainCanonical(unicode));
        // Parsing it back and writing it again gives the same text: it is the canonical form.
        expect(canonicalJson(JSON.parse(canonicalJson(unicode)))).toBe(canonicalJson(unicode));
      }),
      { seed: 20261130, numRuns: 2000 },
    );
  });

  it('sorts keys that JavaScript keeps in its own order (integer-like ones) and leaves out undefined members', () => {
    const value = { b: 1, '10': 'x', '2': 'y', a: { d: undefined, c: [undefined, 'é'] } };
    expect(canonicalJson(value)).toBe('{"10":"x","2":"y","a":{"c":[null,"é"]},"b":1}');
    expect(canonicalJson(value)).toBe(plainCanonical(value));
  });

  it('keeps each shape right when shapes share a first key or hold the same keys in another order (the order remembered per shape)', () => {
    const shapes = [
      { z: 1, b: 2, a: 3 },
      { z: 1, a: 3 },
      { z: 1, b: 2, a: 3, c: 4 },
      { z: 1, a: 3, b: 2 },
      { z: 1, y: 0, b: 2 },
      { a: 3, b: 2, z: 1 },
    ];
    for (let round = 0; round < 3; round += 1) {
      for (const shape of shapes) expect(canonicalJson(shape)).toBe(plainCanonical(shape));
      for (const shape of [...shapes].reverse()) expect(canonicalJson({ ...shape, z: round })).toBe(plainCanonical({ ...shape, z: round }));
    }
  });

  it('writes every string as JSON.stringify does, escapes and all', () => {
    const samples = ['plain', 'a"b', 'a\\b', 'line\nbreak', '\u0000\u001f\u007f', '\u2028\u2029', 'é — “q”', '\ud83d\ude00', '\ud800 lone', 'lone \udfff', ''];
    for (const text of samples) expect(canonicalJson(text)).toBe(JSON.stringify(text));
    for (let code = 0; code < 0x10000; code += 1) {
      const text = `x${String.fromCharCode(code)}y`;
      if (canonicalJson(text) !== JSON.stringify(text)) throw new Error(`U+${code.toString(16)} written otherwise`);
    }
  });

  it('holds, as JSON.stringify does, the value of an object with toJSON (a Date is its ISO text)', () => {
    const value = { at: new Date('2026-11-30T12:00:00.000Z'), b: [new Date(0)] };
    expect(canonicalJson(value)).toBe('{"at":"2026-11-30T12:00:00.000Z","b":["1970-01-01T00:00:00.000Z"]}');
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('refuses what JSON cannot hold, as before', () => {
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});
