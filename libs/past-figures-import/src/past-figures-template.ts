/**
 * The past-figures file's layout (shared with the council fixtures, CONTRACT-issue9.md): sheet
 * `Figures` of an XLSX workbook, or a CSV file with these headers, one row per KPI × period. This
 * table is the contract: the template, the reader and docs/past-figures-import.md are drawn from it.
 */
import type { TemplateColumn } from '@quarterly/spreadsheet-import';

export const FIGURES_SHEET = 'Figures';

/** Largest file read: 20,000 figures in CSV are about 3 MB. */
export const MAX_PAST_FIGURES_FILE_BYTES = 8 * 1024 * 1024;

/** Months of a monthly KPI are written `2023-04=12.0; 2023-05=13.1`: the months known only. */
export const MONTH_SEPARATOR = ';';

export const FIGURE_COLUMNS: readonly TemplateColumn[] = [
  { name: 'kpiId', required: true, description: 'The KPI reference, as in the register.', example: 'ENV-01' },
  { name: 'period', required: true, description: 'The period the figure covers: a quarter 2023/24-Q2, a half year 2023/24-H1 (six-monthly KPIs) or a year 2023/24 (annual KPIs); 2023/24 Q2 or Q2 2023-24 too.', example: '2023/24-Q2' },
  { name: 'value', required: false, description: 'The rated figure as printed (a decimal, at most the KPI\'s decimal places; 27.3% or £1,250 as printed, with the KPI\'s unit). Blank only with notAvailableReason.', example: '27.3' },
  { name: 'inPeriodValue', required: false, description: 'The in-period figure, when the paper printed it beside the year-to-date one.', example: '' },
  { name: 'yearToDateValue', required: false, description: 'The year-to-date figure, when the paper printed it beside the in-period one.', example: '' },
  { name: 'monthlyValues', required: false, description: 'Monthly KPIs: the months printed, like 2023-07=12.0; 2023-08=13.1 (the months known only).', example: '' },
  { name: 'notAvailableReason', required: false, description: 'Why no figure was published (instead of a value).', example: '' },
  { name: 'commentary', required: false, description: 'The commentary printed with the figure.', example: 'Garden waste tonnage down after a dry summer.' },
  { name: 'publishedStatus', required: false, description: 'The status as printed: Green, Amber, Red, On track, Monitor, Action required, Met, Not met, or blank (or N/A) for none.', example: 'Action required' },
  { name: 'publishedDirectionPrevious', required: false, description: 'The direction of travel printed against the previous period: Improving, Declining, No change, Better, Worse, Same, Higher, Lower, or blank.', example: 'Declining' },
  { name: 'publishedDirectionLastYear', required: false, description: 'The direction of travel printed against last year, in the same words, or blank.', example: '' },
  { name: 'sourceDocument', required: true, description: 'The paper the figure was published in.', example: 'Cabinet 14 Nov 2023, item 7, appendix 1' },
  { name: 'publishedOn', required: true, description: 'The date the paper was published: a date cell, or written 14/11/2023, 14 Nov 2023 or 2023-11-14 (day before month). "As at" shows the figure from that day.', example: '2023-11-14' },
];
