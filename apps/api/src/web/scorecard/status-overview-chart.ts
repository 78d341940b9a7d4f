import type { DirectorateCounts } from '@quarterly/domain';
import type { TopLevelSpec } from 'vega-lite';
import { accessibleChartSvg, CHART_CONFIG } from '../shared/svg-chart';

const GROUPS = [
  { name: 'On target (green or met)', colour: '#00703c', of: (d: DirectorateCounts) => d.green + d.met },
  { name: 'Amber', colour: '#f47738', of: (d: DirectorateCounts) => d.amber },
  { name: 'Off target (red or not met)', colour: '#d4351c', of: (d: DirectorateCounts) => d.red + d.not_met },
  { name: 'No status', colour: '#b1b4b6', of: (d: DirectorateCounts) => d.no_status },
] as const;

/** Recently drawn overviews by their counts: a published scorecard is read many times over. */
const drawn = new Map<string, Promise<string>>();
const KEEP = 64;

/**
 * The overview of statuses by directorate: one stacked bar per directorate, as an accessible
 * SVG whose description gives every count (the page's summary table holds them too). The same
 * counts give the same SVG, so the last 64 drawn are kept.
 */
export function statusOverviewSvg(byDirectorate: readonly DirectorateCounts[]): Promise<string> {
  const key = JSON.stringify(byDirectorate);
  const known = drawn.get(key);
  if (known) return known;
  const svg = draw(byDirectorate);
  drawn.set(key, svg);
  svg.catch(() => drawn.delete(key));
  if (drawn.size > KEEP) drawn.delete(drawn.keys().next().value!);
  return svg;
}

/** The bars' width, and about how wide a character of a 12 px Arial label draws (a little over its average). */
const BAR_WIDTH = 180;
const LABEL_PX_PER_CHARACTER = 6.4;

function draw(byDirectorate: readonly DirectorateCounts[]): Promise<string> {
  const ticks = wholeNumberTicks(Math.max(1, ...byDirectorate.map((d) => GROUPS.reduce((sum, g) => sum + g.of(d), 0))));
  const values = byDirectorate.flatMap((d) => GROUPS.map((g, order) => ({ directorate: d.directorate, status: g.name, order, count: g.of(d) })));
  const spec: TopLevelSpec = {
    // Narrow enough, with the directorates' names and the legend, to be read on a 390 px phone at
    // full size (the page scales it up on a wider screen, never down to unreadable text). Laid out
    // by hand: without a canvas Vega guesses text far wider than Arial draws it, which would widen
    // the drawing and so shrink it on a phone.
    width: BAR_WIDTH,
    height: { step: 28 },
    autosize: { type: 'none', contains: 'content' },
    padding: { left: Math.ceil(Math.max(0, ...byDirectorate.map((d) => d.directorate.length)) * LABEL_PX_PER_CHARACTER) + 12, top: 74, right: 12, bottom: 40 },
    background: 'white',
    config: CHART_CONFIG,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'directorate', type: 'nominal', title: null, sort: byDirectorate.map((d) => d.directorate), axis: { labelLimit: 0 } },
      x: { field: 'count', type: 'quantitative', stack: 'zero', title: 'Indicators', scale: { domain: [0, ticks[ticks.length - 1]!] }, axis: { values: ticks, format: 'd' } },
      color: { field: 'status', type: 'nominal', title: null, scale: { domain: GROUPS.map((g) => g.name), range: GROUPS.map((g) => g.colour) }, legend: { orient: 'top', columns: 1, labelLimit: 0 } },
      order: { field: 'order', type: 'quantitative' },
    },
  };
  const description =
    byDirectorate.length === 0
      ? 'No indicators.'
      : byDirectorate.map((d) => `${d.directorate}: ${GROUPS.map((g) => `${g.of(d)} ${g.name.toLowerCase()}`).join(', ')}`).join('; ') + '.';
  return accessibleChartSvg(spec, { idPrefix: 'status-overview', title: 'Statuses by directorate', description });
}

/** Axis ticks at whole numbers of indicators (never "1, 1, 2" from rounded halves): about ten steps of 1, 2, 5, 10… */
function wholeNumberTicks(max: number): number[] {
  const step = [1, 2, 5].flatMap((m) => [1, 10, 100, 1000].map((p) => m * p)).sort((a, b) => a - b).find((s) => max / s <= 10) ?? 10_000;
  const ticks: number[] = [];
  for (let t = 0; t < max + step; t += step) ticks.push(t);
  return ticks;
}
