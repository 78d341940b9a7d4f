/**
 * The council papers transcribed under test/fixtures/councils/<council>/ (see each SOURCE.md),
 * read into typed rows, and the words the councils printed turned into what the engine says.
 *
 * Files per council, in the import formats of docs/register-import.md and the past-figures
 * contract: `register.csv` (KPI sheet), `targets.csv` (Targets sheet), `people.csv` (People
 * sheet), `figures.csv` (past figures, with the printed status and directions of travel).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Direction, Frequency, KpiYearTargets, LastYearBasis, MeasureType, Polarity, RatingLabels, RatingPolicy } from '@quarterly/domain';

export const COUNCILS = ['brighton-and-hove', 'southampton', 'sandwell', 'leeds-rules'] as const;
export type Council = (typeof COUNCILS)[number];

export const COUNCIL_FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'councils');

export interface FixtureKpi {
  readonly kpiId: string;
  readonly title: string;
  readonly polarity: Polarity;
  readonly frequency: Frequency;
  readonly measureType: MeasureType;
  readonly labels: RatingLabels;
  readonly unit: string;
  readonly decimalPlaces: number;
  readonly cells: Readonly<Record<string, string>>;
}

export type { LastYearBasis } from '@quarterly/domain';

export interface FixtureTarget {
  readonly kpiId: string;
  readonly financialYear: string;
  /** Q1–Q4, H1, H2, or null for the whole year. */
  readonly period: string | null;
  readonly policy: RatingPolicy;
  readonly lastYearBasis: LastYearBasis | null;
  readonly cells: Readonly<Record<string, string>>;
}

export interface FixtureFigure {
  readonly kpiId: string;
  readonly period: string;
  /** Null when the paper prints a status or a word about the figure but not the figure. */
  readonly value: string | null;
  readonly publishedStatus: string | null;
  readonly publishedDirectionPrevious: string | null;
  readonly publishedDirectionLastYear: string | null;
  readonly cells: Readonly<Record<string, string>>;
}

export interface CouncilFixture {
  readonly council: Council;
  readonly kpis: readonly FixtureKpi[];
  readonly targets: readonly FixtureTarget[];
  readonly figures: readonly FixtureFigure[];
  /** The files as committed, for the doors that import them. */
  readonly files: { readonly register: Buffer; readonly targets: Buffer; readonly people: Buffer; readonly figures: Buffer };
}

function readCsv(buffer: Buffer): Record<string, string>[] {
  return parse(buffer, { bom: true, columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
}

const blankToNull = (text: string | undefined): string | null => (text === undefined || text.trim() === '' ? null : text.trim());

function policyOf(cells: Record<string, string>): RatingPolicy {
  switch (cells.policy) {
    case 'thresholds':
      return { kind: 'thresholds', green: cells.green!, amber: cells.amber! };
    case 'tolerance':
      return { kind: 'tolerance', target: cells.target!, tolerancePercent: cells.tolerancePercent! };
    case 'met_not_met':
      return { kind: 'met_not_met', target: cells.target! };
    case 'direction':
      return { kind: 'direction', direction: cells.direction as 'increase' | 'decrease' };
    case 'tracker':
      return { kind: 'tracker' };
    default:
      throw new Error(`targets.csv: unknown policy "${cells.policy}" for ${cells.kpiId}`);
  }
}

export function loadCouncilFixture(council: Council): CouncilFixture {
  const dir = join(COUNCIL_FIXTURES_DIR, council);
  const files = {
    register: readFileSync(join(dir, 'register.csv')),
    targets: readFileSync(join(dir, 'targets.csv')),
    people: readFileSync(join(dir, 'people.csv')),
    figures: readFileSync(join(dir, 'figures.csv')),
  };
  const kpis = readCsv(files.register).map(
    (cells): FixtureKpi => ({
      kpiId: cells.kpiId!,
      title: cells.title!,
      polarity: cells.polarity as Polarity,
      frequency: cells.frequency as Frequency,
      measureType: cells.measureType as MeasureType,
      labels: cells.labels as RatingLabels,
      unit: cells.unit!,
      decimalPlaces: Number(cells.decimalPlaces),
      cells,
    }),
  );
  const targets = readCsv(files.targets).map(
    (cells): FixtureTarget => ({
      kpiId: cells.kpiId!,
      financialYear: cells.financialYear!,
      period: blankToNull(cells.period),
      policy: policyOf(cells),
      lastYearBasis: blankToNull(cells.lastYearBasis) as LastYearBasis | null,
      cells,
    }),
  );
  const figures = readCsv(files.figures).map(
    (cells): FixtureFigure => ({
      kpiId: cells.kpiId!,
      period: cells.period!,
      value: blankToNull(cells.value),
      publishedStatus: blankToNull(cells.publishedStatus),
      publishedDirectionPrevious: blankToNull(cells.publishedDirectionPrevious),
      publishedDirectionLastYear: blankToNull(cells.publishedDirectionLastYear),
      cells,
    }),
  );
  return { council, kpis, targets, figures, files };
}

/** The Targets sheet / targets CSV of the register import (issue 9 contract), in order. */
export const TARGETS_COLUMNS = ['kpiId', 'financialYear', 'period', 'policy', 'green', 'amber', 'target', 'tolerancePercent', 'direction', 'ratedFigure', 'lastYearBasis'] as const;

/** The KPI sheet's columns added by the issue 9 contract. */
export const KPI_COLUMNS_ISSUE_9 = ['unitLabel', 'ratedFigure', 'lastYearBasis'] as const;

/** The past-figures file (issue 9 contract), in order. */
export const PAST_FIGURES_COLUMNS = [
  'kpiId',
  'period',
  'value',
  'inPeriodValue',
  'yearToDateValue',
  'monthlyValues',
  'notAvailableReason',
  'commentary',
  'publishedStatus',
  'publishedDirectionPrevious',
  'publishedDirectionLastYear',
  'sourceDocument',
  'publishedOn',
] as const;

/** A CSV file's header row. */
export function headerOf(file: Buffer): string[] {
  return (parse(file, { bom: true, to_line: 1 }) as string[][])[0] ?? [];
}

/** `2024/25-Q2` → `2024/25`; `2024/25` → itself. */
export function financialYearOfPeriod(period: string): string {
  return period.slice(0, 7);
}

/**
 * A KPI's targets for one financial year as the register holds them once the Targets rows are
 * imported (the whole year's policy, each period's, the basis of "vs last year"), in the domain's
 * own shape, for the domain's `targetsInForce`; null when the year has no whole-year row.
 */
export function yearTargetsFromFixture(targets: readonly FixtureTarget[], kpiId: string, financialYear: string): KpiYearTargets | null {
  const ofYear = targets.filter((t) => t.kpiId === kpiId && t.financialYear === financialYear);
  const year = ofYear.find((t) => t.period === null);
  if (year === undefined) return null;
  // A council states its basis of comparison once for the year: any row of the year carries it.
  const basis = ofYear.find((t) => t.lastYearBasis !== null)?.lastYearBasis ?? undefined;
  const periods = Object.fromEntries(ofYear.filter((t) => t.period !== null).map((t) => [t.period!, t.policy]));
  return { policy: year.policy, periods, ...(basis === undefined ? {} : { lastYearBasis: basis }) };
}

/** Printed direction words. "Higher / Lower / Same" say how the figure moved, whatever its polarity. */
const PRINTED_DIRECTIONS: Record<string, { readonly direction: Direction; readonly movementOnly: boolean }> = {
  improving: { direction: 'improving', movementOnly: false },
  declining: { direction: 'declining', movementOnly: false },
  'no change': { direction: 'no_change', movementOnly: false },
  higher: { direction: 'higher', movementOnly: true },
  lower: { direction: 'lower', movementOnly: true },
  same: { direction: 'same', movementOnly: true },
};

export function printedDirection(word: string): { readonly direction: Direction; readonly movementOnly: boolean } {
  const found = PRINTED_DIRECTIONS[word.toLowerCase()];
  if (found === undefined) throw new Error(`not a printed direction of travel: "${word}"`);
  return found;
}

/** One thing a paper printed about one figure: its status, or a direction of travel. */
export type PrintedAspect = 'status' | 'vs previous' | 'vs last year';

export interface PrintedItem {
  readonly council: Council;
  readonly kpiId: string;
  readonly period: string;
  readonly aspect: PrintedAspect;
  readonly printed: string;
}

/** `"SW-10 2022/23-Q3 vs previous"`: how the tests name a printed item. */
export function itemKey(item: Pick<PrintedItem, 'kpiId' | 'period' | 'aspect'>): string {
  return `${item.kpiId} ${item.period} ${item.aspect}`;
}

export function printedItems(fixture: CouncilFixture): PrintedItem[] {
  const items: PrintedItem[] = [];
  for (const figure of fixture.figures) {
    const base = { council: fixture.council, kpiId: figure.kpiId, period: figure.period };
    if (figure.publishedStatus !== null) items.push({ ...base, aspect: 'status', printed: figure.publishedStatus });
    if (figure.publishedDirectionPrevious !== null) items.push({ ...base, aspect: 'vs previous', printed: figure.publishedDirectionPrevious });
    if (figure.publishedDirectionLastYear !== null) items.push({ ...base, aspect: 'vs last year', printed: figure.publishedDirectionLastYear });
  }
  return items;
}

/** What the engine made of one printed item. */
export type Verdict =
  | { readonly outcome: 'agrees'; readonly engine: string }
  | { readonly outcome: 'disagrees'; readonly engine: string }
  | { readonly outcome: 'cannot be determined'; readonly reason: string };

/** Compares an engine's direction (null: none) with a printed word. */
export function compareDirection(printedWord: string, engine: Direction | null, movement: Direction | null): Verdict {
  const printed = printedDirection(printedWord);
  const actual = printed.movementOnly ? movement : engine;
  if (actual === null) throw new Error('compareDirection needs a direction: classify a missing figure first');
  return { outcome: actual === printed.direction ? 'agrees' : 'disagrees', engine: actual };
}
