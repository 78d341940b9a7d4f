import type { DirectorateCounts } from '@quarterly/domain';
import type { TopLevelSpec } from 'vega-lite';
import { accessibleChartSvg, CHART_CONFIG } from '../shared/svg-chart';

const GROUPS = [
  { name: 'On target (green or met)', colour: '#00703c', of: (d: DirectorateCounts) => d.green + d.met },
  { name: 'Amber', colour: '#f47738', of: (d: DirectorateCounts) => d.amber },
  { name: 'Off target (red or not met)', colour: '#d4351c', of: (d: DirectorateCounts) => d.red + d.not_met },
  { name: 'No status', colour: '#b1b4b6', of: (d: DirectorateCounts) => d.no_status },
] as const;

/**
 * The overview of statuses by directorate: one stacked bar per directorate, as an accessible
 * SVG whose description gives every count (the page's summary table holds them too).
 */
export function statusOverviewSvg(byDirectorate: readonly DirectorateCounts[]): Promise<string> {
  const values = byDirectorate.flatMap((d) => GROUPS.map((g, order) => ({ directorate: d.directorate, status: g.name, order, count: g.of(d) })));
  const spec: TopLevelSpec = {
    width: 560,
    height: { step: 28 },
    background: 'white',
    config: CHART_CONFIG,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'directorate', type: 'nominal', title: null, sort: byDirectorate.map((d) => d.directorate) },
      x: { field: 'count', type: 'quantitative', stack: 'zero', title: 'Indicators', axis: { tickMinStep: 1, format: 'd' } },
      color: { field: 'status', type: 'nominal', title: null, scale: { domain: GROUPS.map((g) => g.name), range: GROUPS.map((g) => g.colour) }, legend: { orient: 'top', columns: 2 } },
      order: { field: 'order', type: 'quantitative' },
    },
  };
  const description =
    byDirectorate.length === 0
      ? 'No indicators.'
      : byDirectorate.map((d) => `${d.directorate}: ${GROUPS.map((g) => `${g.of(d)} ${g.name.toLowerCase()}`).join(', ')}`).join('; ') + '.';
  return accessibleChartSvg(spec, { idPrefix: 'status-overview', title: 'Statuses by directorate', description });
}
