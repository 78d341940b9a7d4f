import { DbInteger } from '../database/read-model-schema';

/** A BIGINT/INTEGER column value (string from pg, bigint from better-sqlite3) as a bigint. */
export function toBigInt(value: DbInteger): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}

/** A small INTEGER column value (counts, quarters, flags) as a number. */
export function toNumber(value: DbInteger): number {
  return Number(value);
}

/**
 * An ISO instant in one canonical form (`YYYY-MM-DDTHH:mm:ss.sssZ`), so instants compare
 * correctly as text in both dialects whatever precision or offset the writer used.
 */
export function toInstant(value: string | Date): string {
  if (typeof value === 'string') {
    // Every projection converts every event's instant, and the events of one command share it:
    // parsing dates was 5 % of a rebuild's CPU. The result depends on the text alone.
    const known = instants.get(value);
    if (known !== undefined) return known;
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new InvalidInstantError(String(value));
  const instant = date.toISOString();
  if (typeof value === 'string') {
    if (instants.size >= INSTANT_CACHE_SIZE) instants.clear();
    instants.set(value, instant);
  }
  return instant;
}

/** Instant texts already converted (bounded: emptied when full). */
const instants = new Map<string, string>();
const INSTANT_CACHE_SIZE = 10_000;

/** JSON text written by a projection, read back. */
export function fromJson<T>(text: string): T;
export function fromJson<T>(text: string | null): T | null;
export function fromJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/** A value that is not an ISO 8601 instant. */
export class InvalidInstantError extends Error {
  override readonly name = 'InvalidInstantError';
  constructor(readonly value: string) {
    super(`not an ISO 8601 instant: ${JSON.stringify(value)}`);
  }
}
