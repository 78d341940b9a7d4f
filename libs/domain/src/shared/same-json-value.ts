/**
 * Whether two values are the same JSON value: objects member by member whatever order their keys
 * are in, arrays item by item, members that are `undefined` absent (as JSON has them). A decider
 * compares what a command proposes with state folded from stored events, and a store may hand
 * back an object's keys in another order than the code wrote them (the hash chain stores
 * canonical JSON with sorted keys; PostgreSQL `jsonb` re-orders too): `JSON.stringify` of each
 * side would call such a value changed.
 */
export function sameJsonValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isPlainJsonObject(a) || !isPlainJsonObject(b)) {
    // Scalars, and what JSON writes through toJSON (a Date): as JSON.stringify writes them.
    if (Array.isArray(a) || Array.isArray(b) || isPlainJsonObject(a) || isPlainJsonObject(b)) return bothArrays(a, b);
    return JSON.stringify(a) === JSON.stringify(b);
  }
  const keys = definedKeys(a);
  if (keys.length !== definedKeys(b).length) return false;
  return keys.every((key) => b[key] !== undefined && sameJsonValue(a[key], b[key]));
}

function bothArrays(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  // JSON writes an undefined item as null.
  return a.every((item, index) => sameJsonValue(item ?? null, b[index] ?? null));
}

function isPlainJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

function definedKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((key) => record[key] !== undefined);
}
