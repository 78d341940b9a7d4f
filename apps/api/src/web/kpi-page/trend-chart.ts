import { formatFigure, type FigureDisplay } from '@quarterly/domain';
import type { TopLevelSpec } from 'vega-lite';
import { accessibleChartSvg, CHART_CONFIG } from '../shared/svg-chart';

/** One period on a KPI's trend: the approved figure (if any) and the target it was rated against. */
export interface TrendPoint {
  readonly period: string;
  readonly value: number | null;
  readonly target: number | null;
  /** The status in words, for the description and the table. */
  readonly status: string;
}

export interface TrendChartText {
  /** A short title, e.g. "ENV-01: the last 8 periods". */
  readonly title: string;
  /** The unit's words for the axis, e.g. "%". */
  readonly unit: string;
  /** How the KPI's figures are printed, for the description in words. */
  readonly display?: FigureDisplay;
  /** Prefix of the SVG's element ids, unique on its page. */
  readonly idPrefix: string;
}

const GOVUK_BLUE = '#1d70b8';
const GOVUK_BLACK = '#0b0c0c';

/**
 * A KPI's trend as an accessible SVG (see accessibleChartSvg): the figures as a line with
 * points, the target as a dashed line; the description says every figure in words, and the
 * page shows the same figures as a table too.
 */
export async function trendChartSvg(points: readonly TrendPoint[], text: TrendChartText): Promise<string> {
  const values = points.flatMap((p) => [
    ...(p.value === null ? [] : [{ period: p.period, series: 'Figure', value: p.value }]),
    ...(p.target === null ? [] : [{ period: p.period, series: 'Target', value: p.target }]),
  ]);
  const spec: TopLevelSpec = {
    width: 560,
    height: 220,
    background: 'white',
    config: CHART_CONFIG,
    data: { values },
    mark: { type: 'line', point: { filled: true, size: 60 }, strokeWidth: 3 },
    encoding: {
      x: { field: 'period', type: 'ordinal', sort: points.map((p) => p.period), title: 'Period', axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: text.unit, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', scale: { domain: ['Figure', 'Target'], range: [GOVUK_BLUE, GOVUK_BLACK] }, title: null, legend: { orient: 'top' } },
      strokeDash: { field: 'series', type: 'nominal', scale: { domain: ['Figure', 'Target'], range: [[1, 0], [6, 4]] }, title: null },
    },
  };
  return accessibleChartSvg(spec, { idPrefix: text.idPrefix, title: text.title, description: describe(points, text.unit, text.display) });
}

/**
 * The chart's description: every figure and target in words, oldest first — written by the one
 * figure formatter when the KPI's display is known (as the tables beside the chart print them).
 */
export function describe(points: readonly TrendPoint[], unit: string, display?: FigureDisplay): string {
  if (points.length === 0) return 'No approved figures yet.';
  const figure = (value: number) => (display ? formatFigure(String(value), display) : `${value} ${unit}`);
  const target = (value: number) => (display ? formatFigure(String(value), display) : String(value));
  return points
    .map((p) => `${p.period}: ${p.value === null ? 'no figure' : figure(p.value)} (${p.status})${p.target === null ? '' : `, target ${target(p.target)}`}`)
    .join('; ')
    .concat('.');
}
