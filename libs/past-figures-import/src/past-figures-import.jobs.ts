import { SpreadsheetImportJobs, type ImportJobStatus } from '@quarterly/spreadsheet-import';
import type { RedisConnectionSettings } from '@quarterly/platform';
import type { PastFiguresImporter, PastFiguresReport } from './past-figures-importer';

export const PAST_FIGURES_IMPORT_QUEUE = 'quarterly-past-figures-imports';

export type PastFiguresImportJobStatus = ImportJobStatus<PastFiguresReport>;

/** Past-figures imports as queued jobs; progress is published at each chunk of streams written (500 at a time). */
export class PastFiguresImportJobs extends SpreadsheetImportJobs<PastFiguresReport> {
  constructor(options: { readonly redis: RedisConnectionSettings; readonly prefix?: string; readonly importer: PastFiguresImporter }) {
    super({ ...options, queueName: PAST_FIGURES_IMPORT_QUEUE, progressEvery: 1 });
  }
}
