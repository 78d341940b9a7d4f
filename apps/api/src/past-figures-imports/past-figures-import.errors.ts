import { BadRequestException, ConflictException } from '@nestjs/common';
import type { PastFiguresReport } from '@quarterly/past-figures-import';

/** An apply refused because rows were refused: 400, with the row-by-row report. Nothing was written. */
export class PastFiguresImportRefusedError extends BadRequestException {
  readonly problemExtensions: Record<string, unknown>;

  constructor(report: PastFiguresReport) {
    const rows = report.summary.refused;
    super(`${rows} row${rows === 1 ? '' : 's'} refused, ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in all: nothing was imported`);
    this.problemExtensions = { code: 'import_refused', report };
  }
}

/**
 * An apply refused because a period's state does not take imported figures (a live cycle, open or
 * closed with its returns; a figure imported already from another file): 409 naming the state, with
 * the report. Nothing was written.
 */
export class PastFiguresImportConflictError extends ConflictException {
  readonly problemExtensions: Record<string, unknown>;

  constructor(report: PastFiguresReport, conflict: { row: number | null; currentState: string; problem: string }) {
    super(`row ${conflict.row}: ${conflict.problem}; current state: ${conflict.currentState}. Nothing was imported`);
    this.problemExtensions = { code: 'import_conflict', currentState: conflict.currentState, report };
  }
}
