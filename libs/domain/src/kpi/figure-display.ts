/**
 * How a figure is written for people: the one formatter pages, e-mails and text exports use, so a
 * figure reads the same everywhere ("1,700,000", "83.5%", "£1,250.00", "12.3 µg/m³").
 *
 * - Digits: the KPI's decimal places (never fewer than the figure was stored with, so nothing
 *   reported is hidden), thousands separated by commas, a minus sign before any `£`.
 * - The unit decides the affixes: `percentage` → `83.5%`; `money` → `£1,250.00`; `rate_per_1000`
 *   (10,000, 100,000) → `4.2 per 1,000`; `days` → `12 days`; `count` and `score` → none.
 * - A `unitLabel` (free text) replaces the unit's words and is printed after the figure with a
 *   space (`12.3 µg/m³`, `0.45 tonnes per household`), after the `%` of a percentage
 *   (`83.5% of households`). For money a label starting with `£` takes the place of the pound sign
 *   (`£k` → `£1,250k`, `£m per year` → `£2.5m per year`); any other follows `£1,250.00 per pupil`.
 */
import Decimal from 'decimal.js';
import type { DecimalString } from '../shared/decimal-value';
import { decimalPlacesOf, isDecimalString } from '../shared/decimal-value';
import type { KpiUnit } from './kpi-attributes';

export interface FigureDisplay {
  readonly unit: KpiUnit | string;
  readonly decimalPlaces: number;
  readonly unitLabel?: string | null;
}

const UNIT_WORDS: Partial<Record<string, string>> = {
  rate_per_1000: 'per 1,000',
  rate_per_10000: 'per 10,000',
  rate_per_100000: 'per 100,000',
  days: 'days',
};

/** The figure as printed; `null` and text that is not a decimal are returned as they are (`''` for null). */
export function formatFigure(value: DecimalString | null | undefined, display: FigureDisplay): string {
  if (value === null || value === undefined) return '';
  if (!isDecimalString(value)) return value;
  const places = Math.max(display.decimalPlaces, decimalPlacesOf(value));
  const decimal = new Decimal(value);
  const negative = decimal.isNegative() && !decimal.isZero();
  const [whole, fraction] = decimal.abs().toFixed(places).split('.') as [string, string | undefined];
  const digits = `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
  const sign = negative ? '-' : '';
  const label = display.unitLabel?.trim() ? display.unitLabel.trim() : null;
  switch (display.unit) {
    case 'percentage':
      return `${sign}${digits}%${label === null ? '' : ` ${label}`}`;
    case 'money':
      if (label?.startsWith('£')) return `${sign}£${digits}${label.slice(1)}`;
      return `${sign}£${digits}${label === null ? '' : ` ${label}`}`;
    default: {
      const words = label ?? UNIT_WORDS[display.unit] ?? null;
      return `${sign}${digits}${words === null ? '' : ` ${words}`}`;
    }
  }
}

/**
 * The number format of a spreadsheet cell holding the figure as a number (XLSX keeps numbers as
 * numbers): `#,##0.0`, `0.0"%"` style with the unit's affixes as literal text.
 */
export function spreadsheetNumberFormat(display: FigureDisplay): string {
  const places = Math.max(0, Math.min(display.decimalPlaces, 6));
  const digits = `#,##0${places > 0 ? `.${'0'.repeat(places)}` : ''}`;
  const quoted = (text: string) => `"${text.replace(/"/g, '')}"`;
  const label = display.unitLabel?.trim() ? display.unitLabel.trim() : null;
  switch (display.unit) {
    case 'percentage':
      // A literal "%" (not Excel's percent format, which would multiply by 100).
      return `${digits}${quoted(`%${label === null ? '' : ` ${label}`}`)}`;
    case 'money':
      if (label?.startsWith('£')) return `${quoted('£')}${digits}${label.length > 1 ? quoted(label.slice(1)) : ''}`;
      return `${quoted('£')}${digits}${label === null ? '' : quoted(` ${label}`)}`;
    default: {
      const words = label ?? UNIT_WORDS[display.unit] ?? null;
      return `${digits}${words === null ? '' : quoted(` ${words}`)}`;
    }
  }
}

/**
 * A figure as a person typed it into a form, read back as a decimal numeral when it is written
 * the way {@link formatFigure} writes figures: thousands separated by commas in groups of three
 * (`1,702,115`), a `%` after a percentage (`43.0%`, `43.0 %`), a `£` before money (`£1,250.00`,
 * `-£1,200`). People copy figures from the page, the paper or a spreadsheet in that form.
 *
 * Anything else is returned as it was typed, for validation to refuse: commas not in groups of
 * three (`1,5`, `17,02,115`) are not thousands separators and are never dropped, so no figure is
 * read as another number than the one written.
 */
export function figureAsTyped(text: string, display: FigureDisplay): string {
  const typed = text.trim();
  const match = TYPED_FIGURE.exec(typed);
  if (match === null) return typed;
  const [, minus, pound, digits, fraction, percent] = match;
  if ((pound !== undefined && display.unit !== 'money') || (percent !== undefined && display.unit !== 'percentage')) return typed;
  return `${minus ?? ''}${digits!.replace(/,/g, '')}${fraction ?? ''}`;
}

/** Sign, pound sign, digits (plain or grouped in threes by commas), fraction, per cent sign. */
const TYPED_FIGURE = /^(-)?(£)?(\d+|\d{1,3}(?:,\d{3})+)(\.\d+)?(\s?%)?$/;
