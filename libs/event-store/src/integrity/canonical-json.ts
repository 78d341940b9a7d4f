/**
 * One text for one JSON value, whatever order its keys were written or stored in: object keys
 * sorted by UTF-16 code units, no whitespace, strings and numbers as `JSON.stringify` writes
 * them (the serialisation of RFC 8785 for the values events hold: strings, integers, booleans,
 * null). A store that re-orders keys (PostgreSQL `jsonb`, a migration tool) therefore leaves
 * the hash of an event unchanged; one that changes a value does not.
 *
 * `undefined` properties are left out, as `JSON.stringify` does, since they are never stored.
 * Written as one loop over keys with string concatenation: `verify` runs it on every event.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`cannot hash a ${typeof value} as JSON`);
    return text;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      out += (i > 0 ? ',' : '') + (item === undefined ? 'null' : canonicalJson(item));
    }
    return `${out}]`;
  }
  return canonicalObject(value as Record<string, unknown>, undefined);
}

/** An object's canonical text, leaving out the member named `omit` (if any). */
export function canonicalObject(record: Readonly<Record<string, unknown>>, omit: string | undefined): string {
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    const item = record[key];
    if (item === undefined || key === omit) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${item !== null && typeof item === 'object' ? canonicalJson(item) : primitive(item)}`;
    first = false;
  }
  return `${out}}`;
}

function primitive(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`cannot hash a ${typeof value} as JSON`);
  return text;
}
