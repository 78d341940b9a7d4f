import { formatFigure, isOffTarget, type Direction, type FigureDisplay, type Polarity, type RatingPolicy, type RatingStatus } from '@quarterly/domain';
import type { Scorecard, ScorecardEntry } from '@quarterly/read-models';
import { asAtInWords } from './as-at-instant';

/**
 * The scorecard as councils print it: one row per KPI in words, shared by the page and every
 * export (CSV, XLSX, PDF) so they never disagree. Ratings come from the scorecard query (stored
 * when the figure was approved); nothing here re-rates.
 */
export interface ScorecardTableRow {
  readonly kpiId: string;
  readonly title: string;
  readonly directorate: string;
  readonly period: string;
  /** The approved figure as reported (a decimal string), or '' without one. */
  readonly figure: string;
  /** The figure as printed (`formatFigure`: "1,700,000", "83.5%", "12.3 µg/m³"), or '' without one. */
  readonly figureText: string;
  /** The in-period and year-to-date figures approved beside it (decimal strings, and as printed), or ''. */
  readonly inPeriodFigure: string;
  readonly yearToDateFigure: string;
  readonly inPeriodText: string;
  readonly yearToDateText: string;
  /** The KPI's unit label, else the unit in words. */
  readonly unit: string;
  readonly target: string;
  /** The status in words (`Green`, `Action required`, `Overdue`, `No target`…): never colour alone. */
  readonly status: string;
  /** Colour key for tags and cells: green, amber, red or grey. */
  readonly colour: StatusColour;
  readonly vsPrevious: DirectionText;
  readonly vsLastYear: DirectionText;
  /**
   * What "vs last year" compared with, printed beside it: "vs 2023/24-Q2" (like for like),
   * "vs 2023/24 outturn", "vs pro rata 3/4 of 2023/24 (750)", or '' when the period has no comparison.
   */
  readonly vsLastYearBasis: string;
  readonly commentary: string;
  readonly offTargetReason: string;
  readonly routeToGreen: string;
  readonly approvedAt: string | null;
  /** A newer figure is waiting for approval. */
  readonly changePending: boolean;
  /**
   * For a figure imported as the council published it: where it came from, in words ("Published
   * 14 November 2024 in Cabinet …; imported later, on 1 May 2026 at 10:00, from figures.xlsx"),
   * and the status the paper printed when it differs from the engine's. '' otherwise.
   */
  readonly importNote: string;
}

export type StatusColour = 'green' | 'amber' | 'red' | 'grey';

export interface DirectionText {
  /** ↑, ↓, → or '' when there is nothing to compare with. */
  readonly arrow: string;
  readonly words: string;
  /** better, worse, same or none: for colouring only, the words carry the meaning. */
  readonly judgement: 'better' | 'worse' | 'same' | 'none';
}

export const UNIT_WORDS: Readonly<Record<string, string>> = {
  percentage: '%',
  count: 'number',
  rate_per_1000: 'per 1,000',
  rate_per_10000: 'per 10,000',
  rate_per_100000: 'per 100,000',
  money: '£',
  days: 'days',
};

const NO_FIGURE_WORDS: Readonly<Record<string, string>> = {
  not_yet_due: 'Not yet due',
  overdue: 'Overdue',
  awaiting_approval: 'Awaiting approval',
  not_available: 'Not available',
};

const NO_STATUS_WORDS: Readonly<Record<string, string>> = {
  not_yet_due: 'Not yet due',
  not_available: 'Not available',
  no_baseline: 'No baseline yet',
  under_quality_assurance: 'Under quality assurance',
  tracker: 'Tracker (no target)',
  no_target: 'No target',
};

const STATUS_COLOURS: Readonly<Record<RatingStatus, StatusColour>> = { green: 'green', met: 'green', amber: 'amber', red: 'red', not_met: 'red' };
const DEFAULT_STATUS_WORDS: Readonly<Record<RatingStatus, string>> = { green: 'Green', amber: 'Amber', red: 'Red', met: 'Met', not_met: 'Not met' };

export function scorecardTableRows(scorecard: Pick<Scorecard, 'entries'>): ScorecardTableRow[] {
  return scorecard.entries.map(scorecardTableRow);
}

export function scorecardTableRow(entry: ScorecardEntry): ScorecardTableRow {
  const display: FigureDisplay = { unit: entry.unit, decimalPlaces: entry.decimalPlaces, unitLabel: entry.unitLabel };
  return {
    kpiId: entry.kpiId,
    title: entry.title,
    directorate: entry.directorate,
    period: entry.periodCovered,
    figure: entry.value ?? '',
    figureText: formatFigure(entry.value, display),
    inPeriodFigure: entry.inPeriodValue ?? '',
    yearToDateFigure: entry.yearToDateValue ?? '',
    inPeriodText: formatFigure(entry.inPeriodValue, display),
    yearToDateText: formatFigure(entry.yearToDateValue, display),
    unit: entry.unitLabel ?? UNIT_WORDS[entry.unit] ?? entry.unit,
    target: targetInWords(entry.target, entry.polarity, display),
    status: statusInWords(entry),
    colour: entry.status ? STATUS_COLOURS[entry.status] : 'grey',
    vsPrevious: directionInWords(entry.directionVsPrevious, entry.polarity),
    vsLastYear: directionInWords(entry.directionVsLastYear, entry.polarity),
    vsLastYearBasis: basisInWords(entry, display),
    commentary: entry.commentary ?? '',
    // Printed for off-target figures only, as councils print them.
    offTargetReason: isOffTarget(entry.status) ? (entry.offTargetReason ?? '') : '',
    routeToGreen: isOffTarget(entry.status) ? (entry.routeToGreen ?? '') : '',
    approvedAt: entry.approvedAt,
    changePending: entry.changePending,
    importNote: importNoteOf(entry),
  };
}

function importNoteOf(entry: ScorecardEntry): string {
  const imported = entry.imported;
  if (!imported) return '';
  const [year, month, day] = imported.publishedOn.split('-').map(Number);
  const published = `${day} ${new Date(Date.UTC(year!, month! - 1, day)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })} ${year}`;
  const when = asAtInWords(imported.importedAt);
  const printed = imported.publishedStatus !== null && imported.publishedStatus !== (entry.label ?? '') ? ` The paper printed ${imported.publishedStatus}.` : '';
  return `Published ${published} in ${imported.sourceDocument}; ${imported.importedLater ? `imported later, on ${when},` : `imported on ${when}`} from ${imported.fileName}. Not approved in Quarterly.${printed}`;
}

export function statusInWords(entry: Pick<ScorecardEntry, 'status' | 'label' | 'noFigureReason' | 'noStatusReason'>): string {
  if (entry.status) return entry.label ?? DEFAULT_STATUS_WORDS[entry.status];
  if (entry.noFigureReason) return NO_FIGURE_WORDS[entry.noFigureReason] ?? 'No figure';
  if (entry.noStatusReason) return NO_STATUS_WORDS[entry.noStatusReason] ?? 'No status';
  return 'No status';
}

/**
 * What "vs last year" was compared with, as printed beside the direction: the basis label and,
 * for a pro-rata share, the share itself ("vs pro rata 1/4 of 2023/24 (251)").
 */
export function basisInWords(entry: Pick<ScorecardEntry, 'vsLastYear'>, display: FigureDisplay): string {
  const comparison = entry.vsLastYear;
  if (!comparison) return '';
  const share = comparison.basis === 'pro_rata_annual' && comparison.comparedWith !== null ? ` (${formatFigure(comparison.comparedWith, display)})` : '';
  const missing = comparison.noDirectionReason === 'no_last_year_figure' ? ': no figure last year' : '';
  return `${comparison.label}${share}${missing}`;
}

/**
 * A target policy as a council writes it: "Green 95.0% or more, amber 90.0% or more" (targets
 * printed like figures when the KPI's display is given).
 */
export function targetInWords(policy: RatingPolicy | null, polarity: Polarity, display?: FigureDisplay): string {
  if (!policy) return 'No target set';
  const beyond = polarity === 'lower_is_better' ? 'or less' : 'or more';
  const figure = (value: string) => (display ? formatFigure(value, display) : value);
  switch (policy.kind) {
    case 'thresholds':
      return `Green ${figure(policy.green)} ${beyond}, amber ${figure(policy.amber)} ${beyond}`;
    case 'tolerance':
      return `${figure(policy.target)} (within ${policy.tolerancePercent}% is amber)`;
    case 'met_not_met':
      return `${figure(policy.target)} ${beyond}`;
    case 'direction':
      return policy.direction === 'increase' ? 'Increase on the previous figure' : 'Decrease on the previous figure';
    case 'tracker':
      return 'None (tracked only)';
  }
}

/**
 * Direction of travel with an arrow for the way the figure moved and words for what that means:
 * for a lower-is-better KPI an improvement is a fall (↓ Improving).
 */
export function directionInWords(direction: Direction | null, polarity: Polarity): DirectionText {
  const up = polarity === 'lower_is_better' ? '↓' : '↑';
  const down = polarity === 'lower_is_better' ? '↑' : '↓';
  switch (direction) {
    case 'improving':
      return { arrow: up, words: 'Improving', judgement: 'better' };
    case 'declining':
      return { arrow: down, words: 'Declining', judgement: 'worse' };
    case 'no_change':
      return { arrow: '→', words: 'No change', judgement: 'same' };
    case 'higher':
      return { arrow: '↑', words: 'Higher', judgement: 'none' };
    case 'lower':
      return { arrow: '↓', words: 'Lower', judgement: 'none' };
    case 'same':
      return { arrow: '→', words: 'Same', judgement: 'same' };
    default:
      return { arrow: '', words: 'No comparison', judgement: 'none' };
  }
}

/** "↑ Improving", or "No comparison". */
export function directionLabel(text: DirectionText): string {
  return text.arrow ? `${text.arrow} ${text.words}` : text.words;
}
