import { describe as describeTrend, trendChartSvg } from './trend-chart';

const POINTS = [
  { period: '2026/27-Q1', value: 44, target: 45, status: 'Amber' },
  { period: '2026/27-Q2', value: 46, target: 45, status: 'Green' },
  { period: '2026/27-Q3', value: null, target: 45, status: 'Not available' },
];

describe('a KPI trend chart', () => {
  it('is one accessible SVG image with a title and a description naming every figure', async () => {
    const svg = await trendChartSvg(POINTS, { title: 'ENV-01: the last 3 periods', unit: '%', idPrefix: 'trend' });
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg).toMatch(/^<svg role="img" aria-labelledby="trend-title trend-desc" focusable="false" /);
    expect(svg).toContain('<title id="trend-title">ENV-01: the last 3 periods</title>');
    expect(svg).toContain('<desc id="trend-desc">2026/27-Q1: 44 % (Amber), target 45; 2026/27-Q2: 46 % (Green), target 45; 2026/27-Q3: no figure (Not available), target 45.</desc>');
    // Drawn by Vega: the periods on the axis, a path for each series, no inner ARIA roles.
    for (const period of ['2026/27-Q1', '2026/27-Q2', '2026/27-Q3']) expect(svg).toContain(`>${period}</text>`);
    expect(svg.match(/<path /g)?.length).toBeGreaterThanOrEqual(2);
    expect(svg).not.toContain('graphics-');
    expect(svg).toContain('stroke-dasharray="6,4"');
  });

  it('describes figures and targets as the tables print them when the KPI\'s display is known', () => {
    const display = { unit: 'percentage' as const, decimalPlaces: 1, unitLabel: null };
    expect(describeTrend(POINTS.slice(0, 2), '%', display)).toBe('2026/27-Q1: 44.0% (Amber), target 45.0%; 2026/27-Q2: 46.0% (Green), target 45.0%.');
    const tonnes = { unit: 'count' as const, decimalPlaces: 0, unitLabel: 'tonnes' };
    expect(describeTrend([{ period: '2026/27-Q1', value: 1702115, target: 1700000, status: 'Green' }], '', tonnes)).toBe('2026/27-Q1: 1,702,115 tonnes (Green), target 1,700,000 tonnes.');
  });

  it('says when there is nothing to draw', () => {
    expect(describeTrend([], '%')).toBe('No approved figures yet.');
  });
});
