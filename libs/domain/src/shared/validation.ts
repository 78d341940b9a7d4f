/**
 * Field checks shared by the deciders. Each throws a ValidationError naming the offending field,
 * so the API can answer 400 with the field and the reason.
 */
import { ValidationError } from './domain-error';

export interface TextRules {
  /** Accept an empty (or whitespace-only) string. Defaults to false. */
  readonly allowEmpty?: boolean;
  /** Longest accepted length in characters. Defaults to 10,000. */
  readonly maxLength?: number;
}

export function requireText(value: unknown, field: string, rules: TextRules = {}): string {
  const maxLength = rules.maxLength ?? 10_000;
  if (typeof value !== 'string') throw new ValidationError(field, 'must be text');
  if (!rules.allowEmpty && value.trim() === '') throw new ValidationError(field, 'must not be empty');
  if (value.length > maxLength) throw new ValidationError(field, `must be at most ${maxLength} characters`);
  return value;
}

export function optionalText(value: unknown, field: string, rules: TextRules = {}): string | undefined {
  return value === undefined ? undefined : requireText(value, field, rules);
}

export function requireOneOf<T extends string | number>(value: unknown, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new ValidationError(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function requireInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** An array of strings each passing `check`, without duplicates. */
export function requireStringList(
  value: unknown,
  field: string,
  check: (item: unknown, itemField: string) => string = (item, itemField) => requireText(item, itemField, { maxLength: 500 }),
): string[] {
  if (!Array.isArray(value)) throw new ValidationError(field, 'must be a list');
  const items = value.map((item, index) => check(item, `${field}[${index}]`));
  if (new Set(items).size !== items.length) throw new ValidationError(field, 'must not contain duplicates');
  return items;
}

export function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(field, 'must be an object');
  }
  return value as Record<string, unknown>;
}
