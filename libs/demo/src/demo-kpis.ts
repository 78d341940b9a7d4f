/**
 * The demo KPI register: 37 indicators across five directorates. Titles, targets and most
 * figures are taken from two councils' published corporate KPI tables (seeds 000 and 001):
 * green/amber thresholds with On track / Monitor / Action required labels as council 000 uses,
 * and targets with a 10% tolerance and Green / Amber / Red as council 001 uses. Values for the
 * later quarters are plausible continuations of the published ones.
 */
import type { DemoKpi } from './demo-kpi-builders';
import { DemoDataError } from './demo-errors';
import { ADULTS_AND_CHILDRENS_KPIS } from './demo-kpis-people-services';
import { PLACE_RESOURCES_AND_COMMUNITIES_KPIS } from './demo-kpis-place-resources';

/** The whole register, in KPI id order within each directorate. */
export const DEMO_KPIS: readonly DemoKpi[] = [...ADULTS_AND_CHILDRENS_KPIS, ...PLACE_RESOURCES_AND_COMMUNITIES_KPIS];

export function demoKpi(kpiId: string): DemoKpi {
  const kpi = DEMO_KPIS.find((candidate) => candidate.kpiId === kpiId);
  if (!kpi) throw new DemoDataError(`the demo register has no KPI ${kpiId}`);
  return kpi;
}
