import { findDuplicateJsonKey } from './duplicate-json-keys';

describe('findDuplicateJsonKey', () => {
  it('finds nothing in JSON whose objects each name a key once', () => {
    for (const text of [
      '{}',
      '[]',
      '"value"',
      '{"value":"41","commentary":"value value"}',
      '{"a":{"b":1},"b":{"a":2},"c":[{"a":1},{"a":2}]}',
      '{"say \\"a\\"":1,"a":2}',
      '[{"value":"1"},{"value":"2"}]',
    ]) {
      expect([text, findDuplicateJsonKey(text)]).toEqual([text, undefined]);
    }
  });

  it('names a duplicated top-level key', () => {
    expect(findDuplicateJsonKey('{"value": "41", "commentary": "x", "value": "14"}')).toBe('value');
  });

  it('names a duplicate nested in objects and arrays by its path', () => {
    const text = '{"monthlyValues":[{"month":"2026-04","value":"1"},{"month":"2026-05","value":"2","value":"3"}]}';
    expect(findDuplicateJsonKey(text)).toBe('monthlyValues[1].value');
    expect(findDuplicateJsonKey('{"policy":{"reminders":{"days":1,"days":2}}}')).toBe('policy.reminders.days');
    expect(findDuplicateJsonKey('[1,{"a":1},{"b":1,"b":2}]')).toBe('[2].b');
  });

  it('compares keys after unescaping', () => {
    expect(findDuplicateJsonKey('{"a":1,"\\u0061":2}')).toBe('a');
  });

  it('does not confuse keys with string values, or braces inside strings', () => {
    expect(findDuplicateJsonKey('{"a":"a","b":"{\\"a\\":1}","c":["a","a"]}')).toBeUndefined();
  });
});
