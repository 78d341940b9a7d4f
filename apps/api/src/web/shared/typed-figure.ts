import { figureAsTyped, type KpiRecord } from '@quarterly/domain';

/**
 * Reads a figure field of a form as the KPI's figures are written on the pages (`1,702,115`,
 * `43.0%`, `£1,250`), since people copy them from a page, the paper or a spreadsheet: the
 * command gets the numeral, the form shows back what was typed. Text that is not a figure so
 * written (`43,0`, `about 40`) is passed on as typed, for validation to refuse.
 */
export function typedFigureReader(kpi: Pick<KpiRecord, 'unit' | 'decimalPlaces' | 'unitLabel'>): (typed: string | undefined) => string {
  const display = { unit: kpi.unit, decimalPlaces: kpi.decimalPlaces, unitLabel: kpi.unitLabel };
  return (typed) => figureAsTyped(typed ?? '', display);
}
