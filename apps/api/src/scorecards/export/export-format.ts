import { ValidationError } from '@quarterly/domain';

export type ExportFormat = 'csv' | 'xlsx' | 'pdf';

export const EXPORT_MEDIA_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

const ACCEPTED: ReadonlyArray<[string, ExportFormat]> = [
  ['text/csv', 'csv'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['application/pdf', 'pdf'],
];

/**
 * Which file a request asks for: `format=` wins; otherwise an `Accept` header naming CSV, XLSX
 * or PDF (the first of them in the header's order); otherwise none (JSON or the page).
 * An unknown `format` is a 400 naming the field.
 */
export function requestedExportFormat(format: string | undefined, accept: string | undefined, allowed: readonly ExportFormat[]): ExportFormat | null {
  if (format !== undefined && format !== '') {
    if ((allowed as readonly string[]).includes(format)) return format as ExportFormat;
    throw new ValidationError('format', `must be one of ${allowed.join(', ')}`);
  }
  for (const part of (accept ?? '').split(',')) {
    const mediaType = part.split(';')[0]!.trim().toLowerCase();
    const match = ACCEPTED.find(([type, f]) => type === mediaType && allowed.includes(f));
    if (match) return match[1];
  }
  return null;
}
