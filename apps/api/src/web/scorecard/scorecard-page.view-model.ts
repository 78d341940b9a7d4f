import { formatFigure, summariseScorecard, ValidationError, type CrossTableRow, type FigureDisplay, type ScorecardSummary, type StatusCounts } from '@quarterly/domain';
import { highlightItemsOf, type Scorecard, type ScorecardChange, type ScorecardFigureSnapshot } from '@quarterly/read-models';
import { asAtControlValue, asAtInWords } from '../../scorecards/as-at-instant';
import { statusInWords, scorecardTableRow, type ScorecardTableRow } from '../../scorecards/scorecard-table';
import { periodPathOf } from '../shared/return-paths';

export const STATUS_FILTERS: ReadonlyArray<{ value: string; text: string }> = [
  { value: '', text: 'Any status' },
  { value: 'green', text: 'Green' },
  { value: 'amber', text: 'Amber' },
  { value: 'red', text: 'Red' },
  { value: 'met', text: 'Met' },
  { value: 'not_met', text: 'Not met' },
  { value: 'none', text: 'No status' },
];

export interface ScorecardFilters {
  readonly directorate: string;
  readonly status: string;
}

/** The filters from the page's query, refused (400 naming the field) when not one of the choices. */
export function scorecardFilters(scorecard: Scorecard, query: { directorate?: unknown; status?: unknown }): ScorecardFilters {
  const directorate = typeof query.directorate === 'string' ? query.directorate : '';
  const status = typeof query.status === 'string' ? query.status : '';
  if (directorate !== '' && !scorecard.summary.byDirectorate.some((d) => d.directorate === directorate)) {
    throw new ValidationError('directorate', 'must be one of the directorates on this scorecard');
  }
  if (!STATUS_FILTERS.some((s) => s.value === status)) throw new ValidationError('status', 'must be one of the statuses listed');
  return { directorate, status };
}

export interface DirectorateSummaryRow {
  readonly directorate: string;
  readonly green: number;
  readonly amber: number;
  readonly red: number;
  readonly met: number;
  readonly notMet: number;
  readonly noStatus: number;
  /** Met or not met against the direction of travel vs the previous figure. */
  readonly metTarget: CrossTableRow;
  readonly missedTarget: CrossTableRow;
  /** The same against the same period last year. */
  readonly metTargetVsLastYear: CrossTableRow;
  readonly missedTargetVsLastYear: CrossTableRow;
}

export interface ChangeLine {
  readonly kpiId: string;
  readonly title: string;
  readonly before: string;
  readonly after: string;
}

export interface ScorecardPageModel {
  readonly cycleId: string;
  readonly councilName: string;
  readonly asAtInWords: string;
  readonly asAtControl: string;
  readonly asAtIsNow: boolean;
  readonly sinceControl: string;
  readonly sinceInWords: string | null;
  readonly filters: ScorecardFilters;
  readonly directorateOptions: ReadonlyArray<{ value: string; text: string; selected: boolean }>;
  readonly statusOptions: ReadonlyArray<{ value: string; text: string; selected: boolean }>;
  readonly total: number;
  readonly shown: number;
  readonly headline: string;
  readonly summaryRows: readonly DirectorateSummaryRow[];
  /** Every directorate together (the tables' last row), so each column adds up to the headline. */
  readonly summaryTotal: DirectorateSummaryRow;
  readonly highlights: ReadonlyArray<{ row: ScorecardTableRow; reasons: string }>;
  readonly groups: ReadonlyArray<{ directorate: string; rows: readonly ScorecardTableRow[] }>;
  readonly changes: readonly ChangeLine[] | null;
  readonly downloads: ReadonlyArray<{ href: string; text: string }>;
}

/** Everything the scorecard page shows, in words: the page never rates or counts by itself. */
export function scorecardPageModel(input: {
  scorecard: Scorecard;
  councilName: string;
  filters: ScorecardFilters;
  asAtIsNow: boolean;
  /** `earlierEntries`: the scorecard at `asAt`, whose KPIs print a figure of one no longer on the scorecard. */
  since: { asAt: string; changes: readonly ScorecardChange[]; earlierEntries?: Scorecard['entries'] } | null;
}): ScorecardPageModel {
  const { scorecard, filters } = input;
  const summary = scorecard.summary;
  const rowOf = (directorate: string, counts: StatusCounts, of: Pick<ScorecardSummary, 'crossTableVsPrevious' | 'crossTableVsLastYear'>): DirectorateSummaryRow => ({
    directorate,
    green: counts.green,
    amber: counts.amber,
    red: counts.red,
    met: counts.met,
    notMet: counts.not_met,
    noStatus: counts.no_status,
    metTarget: of.crossTableVsPrevious.met,
    missedTarget: of.crossTableVsPrevious.not_met,
    metTargetVsLastYear: of.crossTableVsLastYear.met,
    missedTargetVsLastYear: of.crossTableVsLastYear.not_met,
  });
  const summaryRows = summary.byDirectorate.map((d) => rowOf(d.directorate, d, summariseScorecard(scorecard.entries.filter((e) => e.directorate === d.directorate))));
  const summaryTotal = rowOf('All directorates', summary.statusCounts, summary);
  const shownEntries = scorecard.entries.filter(
    (e) => (filters.directorate === '' || e.directorate === filters.directorate) && (filters.status === '' || (e.status ?? 'none') === filters.status),
  );
  const groups: Array<{ directorate: string; rows: ScorecardTableRow[] }> = [];
  for (const entry of shownEntries) {
    const last = groups[groups.length - 1];
    if (last?.directorate === entry.directorate) last.rows.push(scorecardTableRow(entry));
    else groups.push({ directorate: entry.directorate, rows: [scorecardTableRow(entry)] });
  }
  const base = `/app/scorecards/${periodPathOf(scorecard.cycleId)}`;
  const asAtQuery = input.asAtIsNow ? '' : `&asAt=${encodeURIComponent(scorecard.asAt)}`;
  return {
    cycleId: scorecard.cycleId,
    councilName: input.councilName,
    asAtInWords: asAtInWords(scorecard.asAt),
    asAtControl: asAtControlValue(scorecard.asAt),
    asAtIsNow: input.asAtIsNow,
    sinceControl: input.since ? asAtControlValue(input.since.asAt) : '',
    sinceInWords: input.since ? asAtInWords(input.since.asAt) : null,
    filters,
    directorateOptions: [{ value: '', text: 'All directorates' }, ...summary.byDirectorate.map((d) => ({ value: d.directorate, text: d.directorate }))].map((o) => ({
      ...o,
      selected: o.value === filters.directorate,
    })),
    statusOptions: STATUS_FILTERS.map((o) => ({ ...o, selected: o.value === filters.status })),
    total: scorecard.entries.length,
    shown: shownEntries.length,
    headline:
      summary.withTargets === 0
        ? `No indicator has an approved figure rated against a target yet; ${summary.total} indicator${summary.total === 1 ? '' : 's'} in all.`
        : `${summary.metTarget} of ${summary.withTargets} indicators with targets met them (${summary.percentMetTarget}%); ${summary.total} indicators in all.`,
    summaryRows,
    summaryTotal,
    highlights: highlightItemsOf(scorecard).map((item) => ({
      row: scorecardTableRow(item.entry),
      reasons: item.reasons.map((r) => (r === 'red' ? 'off target' : `status changed from ${statusInWords({ status: item.entry.previous?.status ?? null, label: null, noFigureReason: null, noStatusReason: null })}`)).join('; '),
    })),
    groups,
    changes: input.since ? changeLines(input.since.changes, [...(input.since.earlierEntries ?? []), ...scorecard.entries]) : null,
    downloads: [
      { href: `${base}?format=xlsx${asAtQuery}`, text: 'Excel (XLSX)' },
      { href: `${base}?format=csv${asAtQuery}`, text: 'CSV' },
      { href: `${base}?format=pdf${asAtQuery}`, text: 'PDF for committee papers' },
    ],
  };
}

/** The changes in words, each figure printed as the KPI prints it (`formatFigure`; the later entry's display wins). */
export function changeLines(changes: readonly ScorecardChange[], entries: Scorecard['entries']): ChangeLine[] {
  const displays = new Map<string, FigureDisplay>(entries.map((e) => [e.kpiId, { unit: e.unit, decimalPlaces: e.decimalPlaces, unitLabel: e.unitLabel }]));
  return changes.map((change) => {
    const display = displays.get(change.kpiId);
    return {
      kpiId: change.kpiId,
      title: change.title,
      before: snapshotInWords(change.before, 'Not on the scorecard', display),
      after: snapshotInWords(change.after, 'No longer on the scorecard', display),
    };
  });
}

function snapshotInWords(snapshot: ScorecardFigureSnapshot | null, absent: string, display: FigureDisplay | undefined): string {
  if (!snapshot) return absent;
  const status = statusInWords({ status: snapshot.status, label: snapshot.label, noFigureReason: snapshot.noFigureReason, noStatusReason: null });
  if (snapshot.value === null) return status;
  return `${display ? formatFigure(snapshot.value, display) : snapshot.value} (${status})`;
}

