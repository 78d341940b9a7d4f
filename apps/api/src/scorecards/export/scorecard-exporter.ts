import type { OnApplicationShutdown } from '@nestjs/common';
import type { Scorecard } from '@quarterly/read-models';
import { PageRenderer } from '../../web/shared/page-renderer';
import { asAtInWords } from '../as-at-instant';
import { scorecardTableRows } from '../scorecard-table';
import { attachmentHeader, exportFileName } from './export-file-name';
import { EXPORT_MEDIA_TYPES, type ExportFormat } from './export-format';
import { PdfPrinter } from './pdf-printer';
import { scorecardCsv } from './scorecard-csv.export';
import { scorecardXlsx } from './scorecard-xlsx.export';

export interface ExportedFile {
  readonly body: Buffer;
  readonly mediaType: string;
  readonly fileName: string;
  /** The Content-Disposition header: an attachment with the file name. */
  readonly disposition: string;
}

/**
 * The scorecard as a file, the same whichever door asks (the JSON API's `format=`/`Accept`, or
 * the page's download links): CSV, XLSX, or a PDF printed from the print-styled page.
 */
export class ScorecardExporter implements OnApplicationShutdown {
  constructor(
    readonly councilName: string,
    private readonly pages: PageRenderer,
    private readonly printer: PdfPrinter,
  ) {}

  async export(scorecard: Scorecard, format: ExportFormat): Promise<ExportedFile> {
    const heading = { councilName: this.councilName, cycleId: scorecard.cycleId, asAtInWords: asAtInWords(scorecard.asAt) };
    const body =
      format === 'csv'
        ? scorecardCsv(scorecard)
        : format === 'xlsx'
          ? await scorecardXlsx(scorecard, heading)
          : await this.printer.print(this.printPage(scorecard, heading), {
              title: `${this.councilName}: performance scorecard ${scorecard.cycleId}`,
              asAtInWords: heading.asAtInWords,
            });
    const fileName = exportFileName(this.councilName, 'scorecard', scorecard.cycleId, scorecard.asAt, format);
    return { body, mediaType: EXPORT_MEDIA_TYPES[format], fileName, disposition: attachmentHeader(fileName) };
  }

  /** The print-styled page the PDF is printed from (also a plain HTML document on its own). */
  printPage(scorecard: Scorecard, heading: { councilName: string; cycleId: string; asAtInWords: string }): string {
    const rows = scorecardTableRows(scorecard);
    return this.pages.render('scorecard/scorecard-print.njk', {
      ...heading,
      summary: scorecard.summary,
      groups: scorecard.summary.byDirectorate.map((d) => ({ directorate: d.directorate, rows: rows.filter((r) => r.directorate === d.directorate) })),
    });
  }

  /** Nest calls this at shutdown: the shared Chromium goes with the application. */
  onApplicationShutdown(): Promise<void> {
    return this.printer.close();
  }
}
