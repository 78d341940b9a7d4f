/**
 * The shape of the demo KPI register and shorthands for writing it as data. The register itself
 * is in `demo-kpis-people-services.ts` and `demo-kpis-place-resources.ts`.
 */
import type { DecimalString, KpiDescription, RatingLabels, RatingPolicy } from '@quarterly/domain';
import { DEMO_DIRECTORATES, type DemoDirectorate } from './demo-people';

export interface DemoKpi {
  readonly kpiId: string;
  readonly description: KpiDescription;
  readonly owner: string;
  /** Officers who also produce the figure; they submit every other quarter. */
  readonly keyContacts: readonly string[];
  /** The target policy for every financial year of the story before the current cycle's. */
  readonly policy: RatingPolicy;
  /** The policy from the current cycle's financial year on, where the targets were changed. */
  readonly nextPolicy?: RatingPolicy;
  /**
   * Headline figures, one per return in the order the story asks for them (at most 6 for a
   * quarterly KPI, 3 six-monthly, 2 annual). Monthly KPIs give `months` instead.
   */
  readonly values: readonly DecimalString[];
  /** Monthly KPIs: one figure per month, 18 months from the first cycle's first month. */
  readonly months?: readonly DecimalString[];
  /** How a monthly KPI's quarter figure follows from its months. */
  readonly headline?: 'sum' | 'last';
  /** A benchmark or context sentence added to each commentary. */
  readonly context?: string;
  /** Why an off-target figure is off target, and the actions that bring it back. */
  readonly offTarget?: readonly [reason: string, routeToGreen: string];
}

/** What one KPI entry in the data modules gives: the description fields flattened in. */
export type DemoKpiSpec = Omit<DemoKpi, 'description'> &
  Omit<KpiDescription, 'directorate' | 'serviceArea' | 'planOutcome' | 'labels' | 'limitations' | 'benchmarkSources'> &
  Partial<Pick<KpiDescription, 'limitations' | 'benchmarkSources' | 'labels'>>;

/** A service area: the register fields its KPIs share. */
export interface DemoServiceArea {
  readonly directorate: DemoDirectorate;
  readonly serviceArea: string;
  readonly planOutcome: string;
  readonly labels: RatingLabels;
}

export function serviceArea(
  directorate: keyof typeof DEMO_DIRECTORATES,
  name: string,
  planOutcome: string,
  labels: RatingLabels,
): DemoServiceArea {
  return { directorate: DEMO_DIRECTORATES[directorate], serviceArea: name, planOutcome, labels };
}

/** Builds register entries of one service area. */
export function kpisOf(area: DemoServiceArea, specs: readonly DemoKpiSpec[]): DemoKpi[] {
  return specs.map((spec) => {
    const { kpiId, owner, keyContacts, policy, nextPolicy, values, months, headline, context, offTarget, ...fields } = spec;
    const description: KpiDescription = {
      ...fields,
      directorate: area.directorate,
      serviceArea: area.serviceArea,
      planOutcome: area.planOutcome,
      labels: fields.labels ?? area.labels,
      limitations: fields.limitations ?? '',
      benchmarkSources: fields.benchmarkSources ?? [],
    };
    return {
      kpiId,
      description,
      owner,
      keyContacts,
      policy,
      values,
      ...(nextPolicy ? { nextPolicy } : {}),
      ...(months ? { months } : {}),
      ...(headline ? { headline } : {}),
      ...(context ? { context } : {}),
      ...(offTarget ? { offTarget } : {}),
    };
  });
}

// ---- policy shorthands ----------------------------------------------------------------------

export const thresholds = (green: DecimalString, amber: DecimalString): RatingPolicy => ({ kind: 'thresholds', green, amber });
/** Council 001's rule: amber within 10% of the target. */
export const tolerance = (target: DecimalString): RatingPolicy => ({ kind: 'tolerance', target, tolerancePercent: '10' });
export const metNotMet = (target: DecimalString): RatingPolicy => ({ kind: 'met_not_met', target });
export const direction = (towards: 'increase' | 'decrease'): RatingPolicy => ({ kind: 'direction', direction: towards });
export const tracker: RatingPolicy = { kind: 'tracker' };
