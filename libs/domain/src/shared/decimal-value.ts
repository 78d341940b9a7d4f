/**
 * KPI values are decimal strings (`"83.5"`, `"-2"`, `"1234.50"`), never binary floats. They are
 * carried as strings in commands and events and compared with decimal.js, so `"0.1" + "0.2"`
 * problems and `83.5 >= 83.50` surprises cannot occur.
 */
import Decimal from 'decimal.js';
import { ValidationError } from './domain-error';

/** A plain decimal numeral: optional minus, digits, optional fraction. No exponent, no NaN. */
export type DecimalString = string;

const DECIMAL = /^-?\d{1,30}(\.\d{1,20})?$/;

export function isDecimalString(value: unknown): value is DecimalString {
  return typeof value === 'string' && DECIMAL.test(value);
}

/** Validates a decimal string; throws ValidationError naming `field` otherwise. */
export function parseDecimal(value: unknown, field: string): Decimal {
  if (!isDecimalString(value)) {
    throw new ValidationError(field, `expected a decimal number like 83.5, got ${JSON.stringify(value)}`);
  }
  return new Decimal(value);
}

/** Number of decimal places as written: `"83.50"` → 2 (the precision reported). */
export function decimalPlacesOf(value: DecimalString): number {
  const point = value.indexOf('.');
  return point === -1 ? 0 : value.length - point - 1;
}

/** Number of decimal places that carry information: `"83.50"` → 1. */
export function significantDecimalPlacesOf(value: DecimalString): number {
  return new Decimal(value).decimalPlaces();
}

/** Negative, zero or positive as a is less than, equal to or greater than b. */
export function compareDecimals(a: DecimalString, b: DecimalString): number {
  return new Decimal(a).comparedTo(new Decimal(b));
}

export function decimalsEqual(a: DecimalString, b: DecimalString): boolean {
  return compareDecimals(a, b) === 0;
}

/** Canonical form without trailing zeros (`"83.50"` → `"83.5"`, `"-0"` → `"0"`). */
export function normaliseDecimal(value: DecimalString): DecimalString {
  const decimal = new Decimal(value);
  return decimal.isZero() ? '0' : decimal.toFixed();
}
