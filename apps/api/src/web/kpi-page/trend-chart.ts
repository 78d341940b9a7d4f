import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

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
  /** Prefix of the SVG's element ids, unique on its page. */
  readonly idPrefix: string;
}

const GOVUK_BLUE = '#1d70b8';
const GOVUK_BLACK = '#0b0c0c';

/**
 * A KPI's trend as an accessible SVG, drawn on the server by Vega-Lite (compiled to Vega and
 * rendered without a canvas): the figures as a line with points, the target as a dashed line.
 * The SVG is an image with a title and a description that says every figure in words; the
 * page shows the same figures as a table too. Vega's own ARIA roles are turned off so a screen
 * reader meets one image, not hundreds of marks.
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
    config: { font: 'Arial, Helvetica, sans-serif', aria: false, axis: { labelFontSize: 12, titleFontSize: 13 }, legend: { labelFontSize: 12 } },
    data: { values },
    mark: { type: 'line', point: { filled: true, size: 60 }, strokeWidth: 3 },
    encoding: {
      x: { field: 'period', type: 'ordinal', sort: points.map((p) => p.period), title: 'Period', axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: text.unit, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', scale: { domain: ['Figure', 'Target'], range: [GOVUK_BLUE, GOVUK_BLACK] }, title: null, legend: { orient: 'top' } },
      strokeDash: { field: 'series', type: 'nominal', scale: { domain: ['Figure', 'Target'], range: [[1, 0], [6, 4]] }, title: null },
    },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return accessible(svg, text.idPrefix, text.title, describe(points, text.unit));
  } finally {
    view.finalize();
  }
}

/** The chart's description: every figure and target in words, oldest first. */
export function describe(points: readonly TrendPoint[], unit: string): string {
  if (points.length === 0) return 'No approved figures yet.';
  return points
    .map((p) => `${p.period}: ${p.value === null ? 'no figure' : `${p.value} ${unit}`} (${p.status})${p.target === null ? '' : `, target ${p.target}`}`)
    .join('; ')
    .concat('.');
}

function accessible(svg: string, idPrefix: string, title: string, description: string): string {
  const titleId = `${idPrefix}-title`;
  const descId = `${idPrefix}-desc`;
  const open = svg.indexOf('>') + 1;
  const root = svg
    .slice(0, open)
    .replace(/\s(role|aria-[a-z]+)="[^"]*"/g, '')
    .replace('<svg ', `<svg role="img" aria-labelledby="${titleId} ${descId}" focusable="false" `);
  const body = svg.slice(open).replace(/\s(role|aria-roledescription|aria-hidden)="[^"]*"/g, '');
  return `${root}<title id="${titleId}">${escapeXml(title)}</title><desc id="${descId}">${escapeXml(description)}</desc>${body}`;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
