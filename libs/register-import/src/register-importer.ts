import { createHash, randomUUID } from 'node:crypto';
import { kpiDecider, personDecider, type KpiCommand, type PersonCommand } from '@quarterly/domain';
import { loadRegisterSnapshot, type QuarterlyEngine } from '@quarterly/platform';
import { ImportInterruptedError, type ImportRequest } from '@quarterly/spreadsheet-import';
import { readRegisterFile, type ImportProblem } from './register-file.reader';

export { ImportInterruptedError, type ImportProgress, type ImportRequest } from '@quarterly/spreadsheet-import';
import { planRegisterImport, type ImportSummary, type RowReport } from './register-import.planner';

/** What a dry run or an apply answers. */
export interface ImportReport {
  readonly fileName: string;
  readonly sha256: string;
  readonly mode: 'dry-run' | 'apply';
  /** True only when every planned event is in the store. */
  readonly applied: boolean;
  readonly summary: ImportSummary;
  readonly rows: readonly RowReport[];
  readonly problems: readonly ImportProblem[];
  /** Events appended by this call (0 for a dry run, a refused file or a repeat). */
  readonly eventsAppended: number;
}


/**
 * One use case, two modes: a dry run plans the file against the register and directory as the
 * event store holds them and writes nothing; an apply plans it the same way and, only when no
 * row is refused, appends the planned commands stream by stream with the usual deciders.
 */
export class RegisterImporter {
  constructor(private readonly engine: QuarterlyEngine) {}

  dryRun(request: ImportRequest): Promise<ImportReport> {
    return this.run(request, 'dry-run');
  }

  apply(request: ImportRequest): Promise<ImportReport> {
    return this.run(request, 'apply');
  }

  private async run(request: ImportRequest, mode: 'dry-run' | 'apply'): Promise<ImportReport> {
    const progress = request.onProgress ?? (() => undefined);
    progress({ phase: 'reading', done: 0, total: 0 });
    const sha256 = createHash('sha256').update(request.content).digest('hex');
    const file = await readRegisterFile(request.fileName, request.content);
    progress({ phase: 'planning', done: 0, total: 0 });
    const current = await loadRegisterSnapshot(this.engine.store);
    const plan = planRegisterImport(file, current, { fileName: request.fileName, sha256, context: request.context });
    const report = { fileName: plan.fileName, sha256, mode, summary: plan.summary, rows: plan.rows, problems: plan.problems };
    if (mode === 'dry-run' || plan.problems.length > 0) {
      progress({ phase: 'done', done: 0, total: plan.streams.length });
      return { ...report, applied: false, eventsAppended: 0 };
    }
    const correlationId = randomUUID();
    let appended = 0;
    for (const [index, stream] of plan.streams.entries()) {
      progress({ phase: 'applying', done: index, total: plan.streams.length });
      for (const [position, command] of stream.commands.entries()) {
        const envelope = {
          actor: request.context.actor,
          now: request.context.now,
          correlationId,
          causationId: `register-import:${sha256}`,
          idempotencyKey: `register-import:${sha256}:${String(stream.expectedRevision ?? 'new')}:${position}`,
        };
        try {
          const outcome = await this.engine.executor.execute({
            streamId: stream.streamId,
            decider: (stream.kind === 'kpi' ? kpiDecider : personDecider) as never,
            command: command as KpiCommand & PersonCommand,
            envelope,
            // The first command must find the stream as planned; the next ones follow it.
            ...(position === 0 ? { ifMatch: stream.expectedRevision ?? undefined } : {}),
            describeState: (state: { status: string }) => state.status,
          });
          appended += outcome.appended;
        } catch (error) {
          throw new ImportInterruptedError(stream.streamId, index, plan.streams.length, error);
        }
      }
    }
    progress({ phase: 'done', done: plan.streams.length, total: plan.streams.length });
    return { ...report, applied: true, eventsAppended: appended };
  }
}
