import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** GOV.UK's typeface fallbacks, and text sizes that stay readable when the SVG scales down. */
export const CHART_CONFIG = { font: 'Arial, Helvetica, sans-serif', aria: false, axis: { labelFontSize: 12, titleFontSize: 13 }, legend: { labelFontSize: 12 } } as const;

/**
 * A Vega-Lite chart drawn on the server as an accessible SVG: compiled to Vega and rendered
 * without a canvas, then made one image (`role="img"`) named by a `<title>` and described by a
 * `<desc>` that says in words what the chart shows. Vega's own ARIA roles are removed so a
 * screen reader meets one image, not hundreds of marks.
 */
export async function accessibleChartSvg(spec: TopLevelSpec, text: { idPrefix: string; title: string; description: string }): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return accessibleSvg(await view.toSVG(), text.idPrefix, text.title, text.description);
  } finally {
    view.finalize();
  }
}

function accessibleSvg(svg: string, idPrefix: string, title: string, description: string): string {
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
