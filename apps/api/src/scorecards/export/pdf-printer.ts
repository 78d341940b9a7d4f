import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { chromium, type Browser } from 'playwright-core';

/** What goes in each page's margin: the council, the period, "as at", and page numbers. */
export interface PrintHeading {
  readonly title: string;
  readonly asAtInWords: string;
}

/**
 * Prints HTML to a tagged PDF with headless Chromium (Debian's, CHROMIUM_PATH overrides): A4
 * landscape, the heading and "Page n of m" in every page's margin, table headers repeated by the
 * browser's print layout (`thead` is a table-header-group). One browser is started on first use
 * and shared; each print uses its own context, offline, with JavaScript off.
 */
export class PdfPrinter {
  private browser: Promise<Browser> | null = null;

  constructor(private readonly executablePath: string = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium') {}

  async print(html: string, heading: PrintHeading): Promise<Buffer> {
    const browser = await this.launch();
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({
        format: 'A4',
        landscape: true,
        printBackground: true,
        tagged: true,
        outline: true,
        displayHeaderFooter: true,
        margin: { top: '18mm', bottom: '16mm', left: '10mm', right: '10mm' },
        headerTemplate: `<div style="font-size:8pt;width:100%;padding:0 10mm;font-family:Arial,sans-serif">${escapeHtml(heading.title)} — as at ${escapeHtml(heading.asAtInWords)}</div>`,
        footerTemplate:
          '<div style="font-size:8pt;width:100%;padding:0 10mm;text-align:right;font-family:Arial,sans-serif">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>',
      });
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser.catch(() => null))?.close();
  }

  private launch(): Promise<Browser> {
    this.browser ??= chromium
      .launch({
        executablePath: this.executablePath,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
      })
      .catch((error: unknown) => {
        this.browser = null;
        // No Chromium here: a refusal the client can act on (the CSV and XLSX still work), not a 500.
        new Logger('PdfPrinter').error(`Chromium could not start from ${this.executablePath}: ${error instanceof Error ? error.message : String(error)}`);
        throw new ServiceUnavailableException('PDF printing is not available on this server (no Chromium at CHROMIUM_PATH); the CSV and XLSX files are');
      });
    return this.browser;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
