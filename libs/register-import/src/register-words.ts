/**
 * The words a register file may use for each coded column: the code itself, and the words the
 * app prints for it on its pages (the KPI page, the KPI forms, the return page, the scorecards),
 * so that a council can type what it reads on the screen. The first word of each code is the one
 * the template's Columns sheet and the problems name beside the code. Matching ignores case,
 * surrounding spaces and `_` / `-` / space (`choiceKey`): `Higher is better`, `higher-is-better`
 * and `higher_is_better` are one.
 *
 * apps/api's `register-words.spec.ts` checks that every word the pages print reads back as its code.
 */
import type { Frequency, KpiUnit, LastYearBasis, MeasureType, Polarity, RatedFigure, RatingLabels, RatingPolicyKind, Role, TargetPeriod } from '@quarterly/domain';
import type { Choice } from '@quarterly/spreadsheet-import';

export const UNIT_CHOICES: readonly Choice<KpiUnit>[] = [
  { code: 'percentage', words: ['%', 'Percentage', 'per cent', 'percent'] },
  { code: 'count', words: ['Number', 'Count'] },
  { code: 'rate_per_1000', words: ['per 1,000', 'Rate per 1,000'] },
  { code: 'rate_per_10000', words: ['per 10,000', 'Rate per 10,000'] },
  { code: 'rate_per_100000', words: ['per 100,000', 'Rate per 100,000'] },
  { code: 'money', words: ['£', 'Money (£)', 'Money'] },
  { code: 'days', words: ['Days'] },
  { code: 'score', words: ['Score'] },
];

export const POLARITY_CHOICES: readonly Choice<Polarity>[] = [
  { code: 'higher_is_better', words: ['Higher is better'] },
  { code: 'lower_is_better', words: ['Lower is better'] },
  { code: 'none', words: ['Neither', 'Neither (tracked only)', 'Neither: tracked only', 'Neither (tracked for its trend)', 'Tracker'] },
];

export const FREQUENCY_CHOICES: readonly Choice<Frequency>[] = [
  { code: 'monthly', words: ['Monthly'] },
  { code: 'quarterly', words: ['Quarterly'] },
  { code: 'six_monthly', words: ['Six-monthly', 'Half-yearly'] },
  { code: 'annual', words: ['Annual', 'Annually', 'Yearly'] },
];

export const MEASURE_TYPE_CHOICES: readonly Choice<MeasureType>[] = [
  { code: 'in_period', words: ['The period alone', 'In period', 'the quarter only'] },
  { code: 'year_to_date', words: ['Year to date (cumulative)', 'Year to date', 'the year to date', 'YTD', 'Cumulative'] },
  { code: 'rolling_12_months', words: ['Rolling 12 months', 'the rolling 12 months'] },
  { code: 'snapshot', words: ['Snapshot at the end of the period', 'Snapshot', 'a snapshot at the end of the quarter'] },
];

export const LABEL_CHOICES: readonly Choice<RatingLabels>[] = [
  { code: 'green_amber_red', words: ['Green, Amber, Red', 'Green/Amber/Red', 'RAG'] },
  { code: 'on_track_monitor_action', words: ['On track, Monitor, Action required', 'On track/Monitor/Action required'] },
];

export const POLICY_CHOICES: readonly Choice<RatingPolicyKind>[] = [
  { code: 'thresholds', words: ['Green and amber thresholds', 'Thresholds'] },
  { code: 'tolerance', words: ['A target with a tolerance', 'Tolerance'] },
  { code: 'met_not_met', words: ['Met or not met', 'Met/not met'] },
  { code: 'direction', words: ['Direction only', 'Direction'] },
  { code: 'tracker', words: ['Tracker: no target', 'Tracker', 'No target'] },
];

export const DIRECTION_CHOICES: readonly Choice<'increase' | 'decrease'>[] = [
  { code: 'increase', words: ['Increase on the previous figure', 'Increase'] },
  { code: 'decrease', words: ['Decrease on the previous figure', 'Decrease'] },
];

export const RATED_FIGURE_CHOICES: readonly Choice<RatedFigure>[] = [
  { code: 'in_period', words: ['In period', 'The in-period figure is rated', 'The period alone'] },
  { code: 'year_to_date', words: ['Year to date', 'The year-to-date figure is rated', 'YTD'] },
];

export const LAST_YEAR_BASIS_CHOICES: readonly Choice<LastYearBasis>[] = [
  { code: 'same_period', words: ['Compared with the same period last year (like for like)', 'the same period last year', 'Like for like'] },
  { code: 'last_year_outturn', words: ["Compared with last year's outturn (its final figure)", "last year's outturn", 'Outturn'] },
  { code: 'pro_rata_annual', words: ["Compared with a pro-rata share of last year's total", "a pro-rata share of last year's total", 'Pro rata'] },
];

export const PERIOD_CHOICES: readonly Choice<TargetPeriod>[] = (['Q1', 'Q2', 'Q3', 'Q4', 'H1', 'H2'] as const).map((code) => ({ code }));

/** An annual KPI's due quarter, as the form's choices print it (`Q4`) or as a number. */
export const DUE_QUARTER_CHOICES: readonly Choice<'1' | '2' | '3' | '4'>[] = (['1', '2', '3', '4'] as const).map((code) => ({ code, words: [`Q${code}`] }));

export const ROLE_CHOICES: readonly Choice<Role>[] = [
  { code: 'performance-team', words: ['Performance team'] },
  { code: 'service-lead', words: ['Service lead (reports figures)', 'Service lead'] },
  { code: 'dmt', words: ['Directorate management team (reviews figures)', 'Directorate management team', 'DMT'] },
  { code: 'clt', words: ['Corporate leadership team', 'CLT'] },
  { code: 'auditor', words: ['Auditor'] },
  { code: 'member', words: ['Councillor (reads published scorecards)', 'Councillor', 'Member'] },
];
