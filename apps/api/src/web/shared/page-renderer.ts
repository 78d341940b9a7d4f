import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import nunjucks from 'nunjucks';

/** Where the page templates are: beside this file in the sources, `dist/apps/api/web` once built. */
function viewsRoot(): string {
  const built = join(__dirname, 'web');
  return existsSync(join(built, 'layout')) ? built : resolve(__dirname, '..');
}

/** The folder of an installed package, by Node's own resolution (a bundler's `require.resolve` answers a module id). */
function packageFolder(name: string): string {
  return dirname(createRequire(join(__dirname, 'page-renderer.js')).resolve(`${name}/package.json`));
}

/** govuk-frontend's `dist` folder: its templates (`govuk/...`) and its assets. */
export function govukFrontendDist(): string {
  return join(packageFolder('govuk-frontend'), 'dist');
}

/** The Ministry of Justice frontend's folder: its templates (`moj/...`) and stylesheet, for components GOV.UK lacks (the timeline). */
export function mojFrontendFolder(): string {
  return packageFolder('@ministryofjustice/frontend');
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2026-10-14` (or an ISO instant) → `14 October 2026`, as GOV.UK writes dates. */
export function longDate(value: string | null | undefined): string {
  if (!value) return '';
  const [year, month, day] = value.slice(0, 10).split('-');
  return `${Number(day)} ${MONTHS[Number(month) - 1]} ${year}`;
}

/** `2026-07` → `July 2026`. */
export function monthName(value: string): string {
  const [year, month] = value.split('-');
  return `${MONTHS[Number(month) - 1]} ${year}`;
}

/**
 * Renders the pages' nunjucks templates with govuk-frontend's components. Autoescaping is on:
 * every value from a person (commentary, reasons) is escaped unless a template says otherwise.
 */
export class PageRenderer {
  private readonly env: nunjucks.Environment;

  constructor() {
    const loader = new nunjucks.FileSystemLoader([viewsRoot(), govukFrontendDist(), mojFrontendFolder()], { noCache: false });
    this.env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
    this.env.addFilter('longDate', longDate);
    this.env.addFilter('monthName', monthName);
    // The MoJ timeline formats its dates with this filter (its own needs moment.js).
    this.env.addFilter('mojDate', (timestamp: string) => longDate(timestamp));
    this.env.addGlobal('serviceName', 'Quarterly');
  }

  render(template: string, model: Record<string, unknown>): string {
    return this.env.render(template, model);
  }
}
