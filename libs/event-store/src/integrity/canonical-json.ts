/**
 * One text for one JSON value, whatever order its keys were written or stored in: object keys
 * sorted by UTF-16 code units, no whitespace, strings and numbers as `JSON.stringify` writes
 * them (the serialisation of RFC 8785 for the values events hold: strings, integers, booleans,
 * null). A store that re-orders keys (PostgreSQL `jsonb`, a migration tool) therefore leaves
 * the hash of an event unchanged; one that changes a value does not.
 *
 * `undefined` properties are left out, as `JSON.stringify` does, since they are never stored.
 *
 * `verify` runs this on every event, so it is written for speed without changing a byte of its
 * output (the stored hashes depend on it; `canonical-json.spec.ts` holds it against the plain
 * definition): one loop over keys with string concatenation; keys already in order (most are,
 * as the code writes them) are not sorted again; each key's quoted text is computed once per
 * process, since events repeat the same few hundred keys.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return scalar(value);
  if (Array.isArray(value)) return canonicalArray(value);
  // As JSON.stringify does (a Date becomes its ISO text): the canonical text is also what an
  // adapter stores, so it must hold the value JSON.stringify would have stored.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON(): unknown }).toJSON());
  return canonicalObject(value as Record<string, unknown>, undefined);
}

/** An object's canonical text, leaving out the member named `omit` (if any). */
export function canonicalObject(record: Readonly<Record<string, unknown>>, omit: string | undefined): string {
  const keys = sortedKeys(record);
  let out = '{';
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    const item = record[key];
    if (item === undefined || key === omit) continue;
    if (out.length > 1) out += ',';
    out += quotedKey(key);
    out += item === null || typeof item !== 'object' ? scalar(item) : canonicalJson(item);
  }
  return `${out}}`;
}

function canonicalArray(items: readonly unknown[]): string {
  if (items.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i];
    if (i > 0) out += ',';
    out += item === undefined ? 'null' : canonicalJson(item);
  }
  return `${out}]`;
}

/**
 * The keys in UTF-16 code unit order (what `Array.prototype.sort` and `<` both use). Events
 * repeat a few hundred shapes, so the order found for a shape (its keys as written, compared
 * one by one) is remembered and not worked out again; the array returned is shared, not to be
 * changed.
 */
function sortedKeys(record: Readonly<Record<string, unknown>>): readonly string[] {
  const keys = Object.keys(record);
  if (keys.length < 2) return keys;
  const known = SHAPES.get(keys[0]!);
  if (known !== undefined && sameKeys(known.written, keys)) return known.sorted;
  let sorted: string[] = keys;
  for (let i = 1; i < keys.length; i += 1) {
    if (keys[i - 1]! > keys[i]!) {
      sorted = [...keys].sort();
      break;
    }
  }
  if (known !== undefined || SHAPES.size < SHAPES_KEPT) SHAPES.set(keys[0]!, { written: keys, sorted });
  return sorted;
}

/** A shape's keys as written and in order, by its first key written (the last shape seen with it). */
const SHAPES = new Map<string, { readonly written: readonly string[]; readonly sorted: readonly string[] }>();
const SHAPES_KEPT = 4096;

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** A key as JSON text with its colon, remembered for the first few thousand keys seen. */
const QUOTED_KEYS = new Map<string, string>();
const QUOTED_KEYS_KEPT = 4096;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (QUOTED_KEYS.size < QUOTED_KEYS_KEPT) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

/** Characters JSON.stringify escapes (quote, backslash, controls) or may (surrogates, paired or lone). */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON text, exactly as JSON.stringify writes it, without the call for text it would not escape. */
export function jsonString(value: string): string {
  return NEEDS_ESCAPING.test(value) ? JSON.stringify(value) : `"${value}"`;
}

function scalar(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return JSON.stringify(value);
    default: {
      if (value === null) return 'null';
      throw new TypeError(`cannot hash a ${typeof value} as JSON`);
    }
  }
}
