import { assertKpiId, type RatingPolicy } from '@quarterly/domain';
import { getKpi, getValueHistory, STANDING_KINDS, listPeople, type KpiView, type ReadModelSchema, type ValueHistoryEntry } from '@quarterly/read-models';
import { NotFoundException } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { asAtInWords } from '../../scorecards/as-at-instant';
import { statusInWords, targetInWords, UNIT_WORDS } from '../../scorecards/scorecard-table';
import { unitInWords } from '../../shared/plain-english';
import { yearTargetsInWords } from './kpi-targets-words';
import { formatFigure, type FigureDisplay } from '@quarterly/domain';
import { trendChartSvg, type TrendPoint } from './trend-chart';

/** How many periods the trend shows. */
export const TREND_PERIODS = 8;

export const POLARITY_WORDS: Readonly<Record<string, string>> = { higher_is_better: 'Higher is better', lower_is_better: 'Lower is better', none: 'Neither (tracked only)' };
export const FREQUENCY_WORDS: Readonly<Record<string, string>> = { monthly: 'Monthly', quarterly: 'Quarterly', six_monthly: 'Six-monthly', annual: 'Annual' };

export interface KpiPageModel {
  readonly kpiId: string;
  readonly title: string;
  readonly directorate: string;
  readonly details: ReadonlyArray<{ key: { text: string }; value: { text: string } }>;
  readonly targets: ReadonlyArray<{ year: string; target: string }>;
  readonly trend: readonly TrendRow[];
  /** What the trend shows, or that there is nothing to show yet. */
  readonly trendIntro: string;
  readonly chartSvg: string;
  readonly historyHref: string;
  readonly asAtInWords: string;
  readonly publishedOnly: boolean;
  /**
   * The owner or key contacts who are not active people of the directory (a typed user id that
   * names no one, someone deactivated): no reminder reaches them. Shown to the register's keepers.
   */
  readonly peopleProblems: readonly string[];
}

export interface TrendRow {
  readonly period: string;
  readonly figure: string;
  readonly target: string;
  readonly status: string;
}

/** The KPI as the register holds it, 404 when it is not defined. */
export async function loadKpi(db: Kysely<ReadModelSchema>, kpiId: string): Promise<KpiView> {
  assertKpiId(kpiId);
  const kpi = await getKpi(db, kpiId);
  if (!kpi) throw new NotFoundException(`KPI ${kpiId} is not defined`);
  return kpi;
}

/**
 * A KPI's page: what it measures, its targets by year, and its last eight periods' approved
 * figures (as at an instant) as a chart and a table. `cycles` limits it to published periods.
 */
export async function kpiPageModel(db: Kysely<ReadModelSchema>, kpi: KpiView, asAt: string, cycles: readonly string[] | undefined): Promise<KpiPageModel> {
  const [people, history] = await Promise.all([
    listPeople(db, { includeInactive: true }),
    getValueHistory(db, { kpiId: kpi.kpiId, asAt, ...(cycles !== undefined ? { cycles } : {}) }),
  ]);
  const byId = new Map(people.map((p) => [p.personId, p]));
  const nameOf = (id: string) => byId.get(id)?.name ?? id;
  const unit = kpi.unitLabel ?? UNIT_WORDS[kpi.unit] ?? kpi.unit;
  const display: FigureDisplay = { unit: kpi.unit, decimalPlaces: kpi.decimalPlaces, unitLabel: kpi.unitLabel };
  const points = approvedTrend(history).slice(-TREND_PERIODS);
  const trendPoints: TrendPoint[] = points.map((p) => ({
    period: p.period,
    value: p.value === null ? null : Number(p.value),
    target: targetValue(p.policy),
    status: p.status,
  }));
  return {
    kpiId: kpi.kpiId,
    title: kpi.title,
    directorate: kpi.directorate,
    details: [
      ['What it measures', kpi.definition],
      ['Directorate and service', `${kpi.directorate}, ${kpi.serviceArea}`],
      ['Plan outcome', kpi.planOutcome],
      ['Unit', unitInWords(unit, kpi.decimalPlaces)],
      ['Which way is better', POLARITY_WORDS[kpi.polarity] ?? kpi.polarity],
      ['How often', FREQUENCY_WORDS[kpi.frequency] ?? kpi.frequency],
      ['Owner', nameOf(kpi.owner)],
      ...(kpi.keyContacts.length > 0 ? [['Key contacts', kpi.keyContacts.map(nameOf).join(', ')] as const] : []),
      ['Data source', kpi.dataSource],
      ...(kpi.limitations ? [['Limitations', kpi.limitations] as const] : []),
    ].map(([key, value]) => ({ key: { text: key! }, value: { text: value! } })),
    targets: kpi.targets.map((t) => ({ year: t.financialYear, target: targetInWords(t.policy, kpi.polarity, display), lines: yearTargetsInWords(t, kpi, display) })),
    trend: points.map((p) => ({
      period: p.period,
      figure: p.value === null ? 'Not available' : formatFigure(p.value, display),
      target: targetInWords(p.policy, kpi.polarity, display),
      status: p.status,
    })),
    trendIntro: trendIntro(points.length, cycles !== undefined, asAtInWords(asAt)),
    chartSvg: await trendChartSvg(trendPoints, { title: `${kpi.kpiId} ${kpi.title}: the last ${points.length} period${points.length === 1 ? '' : 's'} with the target`, unit, idPrefix: 'trend', display }),
    historyHref: `/app/kpis/${encodeURIComponent(kpi.kpiId)}/history`,
    asAtInWords: asAtInWords(asAt),
    publishedOnly: cycles !== undefined,
    peopleProblems: peopleProblemsOf(kpi, byId),
  };
}

/** "The owner p.leed is not anyone in the directory", "The key contact Kim Contact (k.contact) has been deactivated". */
export function peopleProblemsOf(kpi: Pick<KpiView, 'owner' | 'keyContacts'>, people: ReadonlyMap<string, { readonly name: string; readonly active: boolean }>): string[] {
  const named: Array<[string, string]> = [['The owner', kpi.owner], ...kpi.keyContacts.map((id): [string, string] => ['The key contact', id])];
  return named.flatMap(([role, id]) => {
    const person = people.get(id);
    if (person === undefined) return [`${role} ${id} is not anyone in the directory.`];
    return person.active ? [] : [`${role} ${person.name} (${id}) has been deactivated.`];
  });
}

/** The sentence above the trend: how many periods it shows (never "the last 0 periods"). */
export function trendIntro(periods: number, publishedOnly: boolean, asAt: string): string {
  if (periods === 0) return publishedOnly ? `No approved figure had been published as at ${asAt}.` : `No figure had been approved as at ${asAt}.`;
  if (periods === 1) return `The approved figure of the last period${publishedOnly ? ' that has been published' : ''}, as at ${asAt}, with the target it was rated against.`;
  return `The approved figures of the last ${periods} periods${publishedOnly ? ' that have been published' : ''}, as at ${asAt}, with the target each was rated against.`;
}

interface ApprovedFigure {
  readonly period: string;
  readonly value: string | null;
  readonly status: string;
  readonly policy: RatingPolicy | null;
}

/** Each period's latest approved figure with the status and policy stored with it, oldest period first. */
export function approvedTrend(history: readonly ValueHistoryEntry[]): ApprovedFigure[] {
  const byPeriod = new Map<string, ApprovedFigure>();
  for (const entry of history) {
    if (!STANDING_KINDS.includes(entry.kind)) continue;
    byPeriod.set(entry.periodCovered, {
      period: entry.periodCovered,
      value: entry.value,
      status: statusInWords({
        status: entry.rating?.status ?? null,
        label: entry.rating?.label ?? null,
        noFigureReason: entry.value === null ? 'not_available' : null,
        noStatusReason: entry.rating?.noStatusReason ?? null,
      }),
      policy: entry.rating?.policy ?? null,
    });
  }
  return [...byPeriod.values()].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}

/** The number a target line is drawn at: the green threshold, or the single target. */
export function targetValue(policy: RatingPolicy | null): number | null {
  if (!policy) return null;
  switch (policy.kind) {
    case 'thresholds':
      return Number(policy.green);
    case 'tolerance':
    case 'met_not_met':
      return Number(policy.target);
    default:
      return null;
  }
}
