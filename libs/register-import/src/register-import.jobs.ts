import { SpreadsheetImportJobs, type ImportJobStatus } from '@quarterly/spreadsheet-import';
import type { RedisConnectionSettings } from '@quarterly/platform';
import type { ImportReport, RegisterImporter } from './register-importer';

export const REGISTER_IMPORT_QUEUE = 'quarterly-register-imports';

export type RegisterImportJobStatus = ImportJobStatus<ImportReport>;

/** Register imports as queued jobs (`SpreadsheetImportJobs` on the `quarterly-register-imports` queue). */
export class RegisterImportJobs extends SpreadsheetImportJobs<ImportReport> {
  constructor(options: { readonly redis: RedisConnectionSettings; readonly prefix?: string; readonly importer: RegisterImporter }) {
    super({ ...options, queueName: REGISTER_IMPORT_QUEUE });
  }
}
