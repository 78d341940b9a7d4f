import { formatFigure, type FigureDisplay, type Rating } from '@quarterly/domain';
import type { ValueHistoryEntry } from '@quarterly/read-models';
import { asAtInWords } from '../../scorecards/as-at-instant';
import { statusInWords } from '../../scorecards/scorecard-table';

const KIND_WORDS: Readonly<Record<ValueHistoryEntry['kind'], string>> = {
  submitted: 'Figure reported',
  resubmitted: 'Revised figure reported',
  not_available: 'Reported as not available',
  challenged: 'Figure challenged',
  approved: 'Figure approved',
  restated: 'Figure restated',
  imported: 'Published figure imported',
};

/** One line of a KPI's history, in words: what, which period, the figure, the rating then, who, when, why. */
export interface HistoryLine {
  readonly when: string;
  readonly recordedAt: string;
  readonly period: string;
  readonly what: string;
  readonly figure: string;
  readonly statusThen: string;
  readonly who: string;
  readonly why: string;
  readonly offTargetReason: string;
  readonly routeToGreen: string;
}

export const HISTORY_COLUMNS = ['When (UK time)', 'Period', 'What happened', 'Figure', 'Rating at the time', 'Who', 'Why (commentary or reason)', 'Why off target', 'Route to green'] as const;

/** The value history in words, newest first (as a timeline reads). */
export function historyLines(entries: readonly ValueHistoryEntry[], nameOf: (id: string) => string, display: FigureDisplay): HistoryLine[] {
  return [...entries].reverse().map((e) => ({
    when: asAtInWords(e.recordedAt),
    recordedAt: e.recordedAt,
    period: e.periodCovered,
    what: e.imported
      ? `${KIND_WORDS[e.kind]}: published ${e.imported.publishedOn} in ${e.imported.sourceDocument}; imported ${asAtInWords(e.imported.importedAt)} from ${e.imported.fileName}`
      : KIND_WORDS[e.kind],
    figure: e.value === null ? (e.kind === 'not_available' ? 'Not available' : '') : formatFigure(e.value, display),
    statusThen: e.rating
      ? `${statusInWords({ status: e.rating.status, label: e.rating.label, noFigureReason: null, noStatusReason: e.rating.noStatusReason ?? null })}${ratingModelInWords(e.rating)}`
      : '',
    who: nameOf(e.actor),
    why: (e.imported ? e.commentary ?? e.reason : e.reason ?? e.commentary) ?? '',
    offTargetReason: e.offTargetReason ?? '',
    routeToGreen: e.routeToGreen ?? '',
  }));
}

export function historyCells(lines: readonly HistoryLine[]): string[][] {
  return lines.map((l) => [l.when, l.period, l.what, l.figure, l.statusThen, l.who, l.why, l.offTargetReason, l.routeToGreen]);
}

export const BASIS_WORDS: Readonly<Record<NonNullable<Rating['lastYearBasis']>, string>> = {
  same_period: 'the same period last year',
  last_year_outturn: "last year's outturn",
  pro_rata_annual: "a pro-rata share of last year's total",
};

/** What the rating recorded of the year's rating model: "(Q1 target; year-to-date figure; vs last year's outturn)". */
export function ratingModelInWords(rating: Pick<Rating, 'period' | 'ratedFigure' | 'lastYearBasis'>): string {
  const parts = [
    ...(rating.period ? [`${rating.period} target`] : []),
    ...(rating.ratedFigure ? [rating.ratedFigure === 'in_period' ? 'in-period figure rated' : 'year-to-date figure rated'] : []),
    ...(rating.lastYearBasis ? [`compared with ${BASIS_WORDS[rating.lastYearBasis]}`] : []),
  ];
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}
