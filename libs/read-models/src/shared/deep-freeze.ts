/**
 * Freezes a value and everything it holds, so that an answer kept for several callers (a kept
 * scorecard, a kept KPI history) cannot be changed by one of them for the others. Values already
 * frozen are taken as frozen through (parts shared between answers are frozen when made).
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as object)) deepFreeze(inner);
  }
  return value;
}
