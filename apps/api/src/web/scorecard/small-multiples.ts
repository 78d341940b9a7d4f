import { Injectable } from '@nestjs/common';
import { previousQuarter, type FigureDisplay, type PeriodId } from '@quarterly/domain';
import { getApprovedFiguresOfCycles, getValueHistory, type ReadModelSchema, type ValueHistoryEntry } from '@quarterly/read-models';
import type { Kysely } from 'kysely';
import { createHash } from 'node:crypto';
import type { TopLevelSpec } from 'vega-lite';
import { approvedTrend, targetValue, TREND_PERIODS } from '../kpi-page/kpi-page.view-model';
import { describe, type TrendPoint } from '../kpi-page/trend-chart';
import { accessibleChartSvg, CHART_CONFIG } from '../shared/svg-chart';

/** One KPI's small multiple: its last periods, and what the page needs to show and fetch it. */
export interface SmallMultiple {
  readonly points: readonly TrendPoint[];
  /** The chart's description in words: the image's text alternative. */
  readonly description: string;
  /** Digest of what the chart draws: the image's address carries it, so a cached image is never stale. */
  readonly digest: string;
}

/** The cycles whose figures the small multiples draw: the scorecard's and the seven before it. */
export function trendCyclesOf(cycleId: PeriodId): PeriodId[] {
  const cycles = [cycleId];
  while (cycles.length < TREND_PERIODS) cycles.push(previousQuarter(cycles[cycles.length - 1]!));
  return cycles;
}

/**
 * Every KPI's last eight approved periods with the target each was rated against, as at an
 * instant, from one read of the value history (not one per KPI), or one KPI's (`onlyKpiId`, for
 * its image). `visibleCycles` limits a councillor to published cycles.
 */
export async function smallMultiplesOf(
  db: Kysely<ReadModelSchema>,
  cycleId: PeriodId,
  asAt: string,
  visibleCycles: readonly string[] | undefined,
  displayOf: (kpiId: string) => FigureDisplay | undefined,
  onlyKpiId?: string,
): Promise<Map<string, SmallMultiple>> {
  const cycles = trendCyclesOf(cycleId).filter((c) => visibleCycles === undefined || visibleCycles.includes(c));
  const entries =
    onlyKpiId === undefined
      ? await getApprovedFiguresOfCycles(db, cycles, asAt)
      : cycles.length === 0
        ? []
        : (await getValueHistory(db, { kpiId: onlyKpiId, asAt, cycles })).filter((e) => e.kind === 'approved');
  const byKpi = new Map<string, ValueHistoryEntry[]>();
  for (const entry of entries) {
    const list = byKpi.get(entry.kpiId);
    if (list) list.push(entry);
    else byKpi.set(entry.kpiId, [entry]);
  }
  const multiples = new Map<string, SmallMultiple>();
  for (const [kpiId, entries] of byKpi) {
    const points: TrendPoint[] = approvedTrend(entries)
      .slice(-TREND_PERIODS)
      .map((p) => ({ period: p.period, value: p.value === null ? null : Number(p.value), target: targetValue(p.policy), status: p.status }));
    const display = displayOf(kpiId);
    multiples.set(kpiId, { points, description: describe(points, '', display), digest: digestOf(kpiId, display, points) });
  }
  return multiples;
}

function digestOf(kpiId: string, display: FigureDisplay | undefined, points: readonly TrendPoint[]): string {
  return createHash('sha256').update(JSON.stringify([kpiId, display ?? null, points])).digest('base64url').slice(0, 16);
}

/** How many rendered small multiples a process keeps (a council's KPIs over a few cycles and "as at"s). */
const CACHE_ENTRIES = 5_000;

/**
 * Draws small multiples with Vega-Lite on the server (like the KPI page's trend, smaller: the
 * figures as a line, the target dashed) and keeps each rendered SVG by the digest of what it
 * draws: drawing one costs milliseconds, a scorecard has hundreds, and figures change rarely.
 * A Map in insertion order is the least-recently-used list.
 */
@Injectable()
export class SmallMultipleRenderer {
  private readonly cache = new Map<string, string>();

  async svg(kpiId: string, title: string, multiple: SmallMultiple): Promise<string> {
    const key = `${multiple.digest}:${title}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const svg = await smallMultipleSvg(kpiId, title, multiple);
    this.cache.set(key, svg);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return svg;
  }
}

const GOVUK_BLUE = '#1d70b8';
const GOVUK_BLACK = '#0b0c0c';

/** One small multiple as an accessible SVG: 8 periods, the figures and the target, no axes (the table and description carry the numbers). */
export function smallMultipleSvg(kpiId: string, title: string, multiple: SmallMultiple): Promise<string> {
  const { points } = multiple;
  const values = points.flatMap((p) => [
    ...(p.value === null ? [] : [{ period: p.period, series: 'Figure', value: p.value }]),
    ...(p.target === null ? [] : [{ period: p.period, series: 'Target', value: p.target }]),
  ]);
  const spec: TopLevelSpec = {
    width: 150,
    height: 40,
    padding: 4,
    background: 'white',
    config: { ...CHART_CONFIG, view: { stroke: null } },
    data: { values },
    mark: { type: 'line', point: { filled: true, size: 16 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'period', type: 'ordinal', sort: points.map((p) => p.period), axis: null },
      y: { field: 'value', type: 'quantitative', scale: { zero: false }, axis: null },
      color: { field: 'series', type: 'nominal', scale: { domain: ['Figure', 'Target'], range: [GOVUK_BLUE, GOVUK_BLACK] }, legend: null },
      strokeDash: { field: 'series', type: 'nominal', scale: { domain: ['Figure', 'Target'], range: [[1, 0], [4, 3]] }, legend: null },
    },
  };
  return accessibleChartSvg(spec, { idPrefix: 'trend', title: `${kpiId} ${title}: the last ${points.length} period${points.length === 1 ? '' : 's'} with the target`, description: multiple.description });
}
