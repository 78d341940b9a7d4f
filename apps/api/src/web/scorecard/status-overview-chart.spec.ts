import { statusOverviewSvg } from './status-overview-chart';

const COUNTS = [
  { directorate: 'People', green: 3, amber: 1, red: 0, met: 1, not_met: 1, no_status: 2 },
  { directorate: 'Place', green: 0, amber: 2, red: 4, met: 0, not_met: 0, no_status: 0 },
];

describe('the overview of statuses by directorate', () => {
  it('is one SVG image whose description gives every count, with a bar per directorate', async () => {
    const svg = await statusOverviewSvg(COUNTS);
    expect(svg).toMatch(/^<svg role="img" aria-labelledby="status-overview-title status-overview-desc" /);
    expect(svg).toContain('<title id="status-overview-title">Statuses by directorate</title>');
    expect(svg).toContain(
      '<desc id="status-overview-desc">People: 4 on target (green or met), 1 amber, 1 off target (red or not met), 2 no status; Place: 0 on target (green or met), 2 amber, 4 off target (red or not met), 0 no status.</desc>',
    );
    for (const name of ['People', 'Place', 'On target (green or met)', 'Off target (red or not met)']) expect(svg).toContain(`>${name}</text>`);
    for (const colour of ['#00703c', '#f47738', '#d4351c']) expect(svg).toContain(`fill="${colour}"`);
    // Whole numbers on the axis, each once: 0 to 8 (People has 8 indicators).
    const ticks = [...svg.matchAll(/role-axis-label[\s\S]*?<\/g>/g)].map((m) => [...m[0].matchAll(/>(\d+)<\/text>/g)].map((t) => Number(t[1])));
    expect(ticks.find((labels) => labels.length > 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('fits a 390 px phone at full size, every directorate named in full', async () => {
    const svg = await statusOverviewSvg([...COUNTS, { directorate: 'Children and Families', green: 1, amber: 0, red: 0, met: 0, not_met: 0, no_status: 0 }]);
    // A phone's column is 360 px wide: a wider drawing would be scaled down to unreadable text.
    expect(Number(/^<svg [^>]*\swidth="(\d+(?:\.\d+)?)"/.exec(svg)?.[1])).toBeLessThanOrEqual(360);
    expect(svg).toContain('>Children and Families</text>');
  });

  it('draws the same counts once and answers the same SVG again', async () => {
    const first = statusOverviewSvg(COUNTS);
    expect(statusOverviewSvg(COUNTS.map((c) => ({ ...c })))).toBe(first);
    expect(await statusOverviewSvg([{ ...COUNTS[0]!, red: 9 }])).not.toBe(await first);
  });
});
