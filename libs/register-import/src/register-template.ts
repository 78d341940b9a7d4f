/**
 * The register import's file layout: one row per KPI with its targets for one financial year
 * (sheet `KPIs`, or the whole of a CSV file), optionally one row per person (sheet `People`,
 * XLSX only) and one row per KPI × year × period of targets (sheet `Targets`, or a CSV file whose
 * header row is exactly the Targets columns), so a register can carry five years of targets and
 * quarterly or interim profiles. This table is the contract: the template, the parser and
 * docs/register-import.md are all drawn from it. Coded columns also take the words the pages print
 * for each code (register-words.ts).
 */

import type { TemplateColumn } from '@quarterly/spreadsheet-import';

export type { TemplateColumn } from '@quarterly/spreadsheet-import';

/** Lists (key contacts, benchmark sources, roles) are written in one cell, separated by `;`. */
export const LIST_SEPARATOR = ';';

export const KPI_SHEET = 'KPIs';
export const PEOPLE_SHEET = 'People';
export const TARGETS_SHEET = 'Targets';

const RATED_FIGURE_DESCRIPTION =
  "Which figure is rated and compared for the row's financialYear: in_period or year_to_date (blank: the measureType; not for snapshot or rolling KPIs).";
const LAST_YEAR_BASIS_DESCRIPTION =
  "What the direction against last year compares with in the row's financialYear: same_period (like for like, the default), last_year_outturn (last year's final figure) or pro_rata_annual (a share of last year's total).";

export const KPI_COLUMNS: readonly TemplateColumn[] = [
  { name: 'kpiId', required: true, description: 'The KPI reference, unique regardless of case: letters, digits, . _ -', example: 'ENV-01' },
  { name: 'title', required: true, description: 'The title printed in scorecards (at most 300 characters).', example: 'Household waste sent for reuse, recycling or composting' },
  { name: 'definition', required: true, description: 'The precise definition: numerator, denominator, inclusions, exclusions.', example: 'Tonnes reused, recycled or composted / tonnes of household waste collected.' },
  { name: 'directorate', required: true, description: 'The directorate, written the same way on every row.', example: 'Place' },
  { name: 'serviceArea', required: true, description: 'The service area.', example: 'Waste Management' },
  { name: 'planOutcome', required: true, description: 'The plan outcome the KPI serves.', example: '1.2.1 Keep our city clean' },
  { name: 'owner', required: true, description: 'Person id of the accountable owner: in the directory or on the People sheet.', example: 's.lead' },
  { name: 'keyContacts', required: false, description: 'Person ids of the officers who produce the figure, separated by ;', example: '' },
  { name: 'unit', required: true, description: 'percentage, count, rate_per_1000, rate_per_10000, rate_per_100000, money, days or score; or as the pages print them: %, Number, per 1,000, £, Days, Score.', example: 'percentage' },
  { name: 'decimalPlaces', required: true, description: 'The precision figures are reported at: a whole number from 0 to 6.', example: '1' },
  { name: 'polarity', required: true, description: 'higher_is_better, lower_is_better or none (trackers); or Higher is better, Lower is better, Neither.', example: 'higher_is_better' },
  { name: 'frequency', required: true, description: 'monthly, quarterly, six_monthly or annual (Six-monthly, Annual: any case).', example: 'quarterly' },
  { name: 'annualDueQuarter', required: false, description: 'Annual KPIs only: the quarter (1–4, or Q1–Q4) whose cycle collects the figure.', example: '' },
  { name: 'measureType', required: true, description: 'in_period, year_to_date, rolling_12_months or snapshot; or In period, Year to date, Rolling 12 months, Snapshot.', example: 'in_period' },
  { name: 'dataSource', required: true, description: 'Where the figure comes from.', example: 'WasteDataFlow' },
  { name: 'limitations', required: false, description: 'Known limitations and data-quality notes.', example: '' },
  { name: 'benchmarkSources', required: false, description: 'Benchmarks, separated by ;', example: 'national average; statistical neighbours' },
  { name: 'labels', required: true, description: 'green_amber_red or on_track_monitor_action; or Green, Amber, Red / On track, Monitor, Action required.', example: 'green_amber_red' },
  { name: 'validMin', required: false, description: "Lowest valid figure, when not the unit's (a percentage is 0–100; a count, rate or days not negative).", example: '' },
  { name: 'validMax', required: false, description: 'Highest valid figure, with validMin.', example: '' },
  { name: 'financialYear', required: false, description: 'The financial year the targets on this row are for, written 2026/27 (or 2026-27). Needed with policy.', example: '2026/27' },
  { name: 'policy', required: false, description: 'thresholds, tolerance, met_not_met, direction or tracker; or the targets form\'s words (Green and amber thresholds, Met or not met…).', example: 'thresholds' },
  { name: 'green', required: false, description: 'thresholds: the green target (a decimal; 45.0% or £1,250 as the pages print figures).', example: '45.0' },
  { name: 'amber', required: false, description: 'thresholds: the amber target (a decimal).', example: '40.0' },
  { name: 'target', required: false, description: 'tolerance and met_not_met: the target (a decimal).', example: '' },
  { name: 'tolerancePercent', required: false, description: 'tolerance: how far from the target, in %, is still amber.', example: '' },
  { name: 'direction', required: false, description: 'direction: increase or decrease.', example: '' },
  { name: 'unitLabel', required: false, description: 'How figures are labelled when displayed (free text: µg/m³, tonnes per household, £k, per 1,000 population).', example: '' },
  { name: 'ratedFigure', required: false, description: RATED_FIGURE_DESCRIPTION, example: '' },
  { name: 'lastYearBasis', required: false, description: LAST_YEAR_BASIS_DESCRIPTION, example: '' },
];

export const TARGET_COLUMNS: readonly TemplateColumn[] = [
  { name: 'kpiId', required: true, description: 'A KPI of the register or of the KPIs sheet, spelt the same way.', example: 'ENV-01' },
  { name: 'financialYear', required: true, description: 'The financial year, written 2026/27 (or 2026-27).', example: '2026/27' },
  {
    name: 'period',
    required: false,
    description: "Blank for the whole year's policy; Q1–Q4 or H1–H2 for one period's (a quarterly or interim profile), which needs the year's policy too.",
    example: 'Q1',
  },
  { name: 'policy', required: true, description: 'thresholds, tolerance, met_not_met, direction or tracker; or the targets form\'s words (Green and amber thresholds, Met or not met…).', example: 'thresholds' },
  { name: 'green', required: false, description: 'thresholds: the green target (a decimal; 45.0% or £1,250 as the pages print figures).', example: '42.0' },
  { name: 'amber', required: false, description: 'thresholds: the amber target (a decimal).', example: '38.0' },
  { name: 'target', required: false, description: 'tolerance and met_not_met: the target (a decimal).', example: '' },
  { name: 'tolerancePercent', required: false, description: 'tolerance: how far from the target, in %, is still amber.', example: '' },
  { name: 'direction', required: false, description: 'direction: increase or decrease.', example: '' },
  { name: 'ratedFigure', required: false, description: RATED_FIGURE_DESCRIPTION, example: '' },
  { name: 'lastYearBasis', required: false, description: LAST_YEAR_BASIS_DESCRIPTION, example: '' },
];

export const PEOPLE_COLUMNS: readonly TemplateColumn[] = [
  { name: 'personId', required: true, description: 'The person id (their sign-in user name): letters, digits, . _ @ -', example: 's.lead' },
  { name: 'name', required: true, description: 'Full name.', example: 'Sam Lead' },
  { name: 'email', required: true, description: 'E-mail address for reminders.', example: 'sam.lead@council.gov.uk' },
  { name: 'roles', required: true, description: 'performance-team, service-lead, dmt, clt, auditor or member, separated by ;', example: 'service-lead' },
  { name: 'directorate', required: false, description: "A directorate of the register (a KPI's directorate, here or already defined).", example: 'Place' },
  { name: 'signInId', required: false, description: "The council sign-in claim's value for this person (Entra ID's oid); one person per value.", example: '' },
];
