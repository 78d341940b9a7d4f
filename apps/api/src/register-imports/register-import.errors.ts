import { BadRequestException, ConflictException } from '@nestjs/common';
import type { ImportInterruptedError, ImportReport } from '@quarterly/register-import';

/** An apply refused because rows were refused: 400, with the row-by-row report. Nothing was written. */
export class RegisterImportRefusedError extends BadRequestException {
  readonly problemExtensions: Record<string, unknown>;

  constructor(report: ImportReport) {
    const rows = report.summary.refused;
    super(`${rows} row${rows === 1 ? '' : 's'} refused, ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in all: nothing was imported`);
    this.problemExtensions = { code: 'import_refused', report };
  }
}

/** The store changed under an apply: 409, saying how far it got and that the same file finishes it. */
export class RegisterImportInterruptedError extends ConflictException {
  readonly problemExtensions: Record<string, unknown>;

  constructor(error: ImportInterruptedError) {
    super(error.message);
    this.problemExtensions = { code: 'import_interrupted', currentState: 'partly_applied', streamId: error.streamId, written: error.written, total: error.total };
  }
}
