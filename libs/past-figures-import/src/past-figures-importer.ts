import { createHash, randomUUID } from 'node:crypto';
import { cycleDecider, returnDecider } from '@quarterly/domain';
import type { QuarterlyEngine } from '@quarterly/platform';
import { ImportInterruptedError, type ImportRequest } from '@quarterly/spreadsheet-import';
import { readPastFiguresFile } from './past-figures-file.reader';
import { planPastFiguresImport, type FigureRowReport, type PastFiguresProblem, type PastFiguresSummary } from './past-figures-import.planner';
import { loadPastFiguresSnapshot } from './past-figures-snapshot';

/** What a dry run or an apply of a past-figures file answers. */
export interface PastFiguresReport {
  readonly fileName: string;
  readonly sha256: string;
  readonly mode: 'dry-run' | 'apply';
  /** True only when every planned event is in the store. */
  readonly applied: boolean;
  readonly summary: PastFiguresSummary;
  readonly rows: readonly FigureRowReport[];
  readonly problems: readonly PastFiguresProblem[];
  /** Events appended by this call (0 for a dry run, a refused file or a repeat). */
  readonly eventsAppended: number;
}

/**
 * The past-figures import, one use case with two modes (the API, the queued job, the command line
 * and the page all call it): a dry run plans the file against the event store and writes nothing;
 * an apply plans it the same way and, only when no row is refused, appends the planned commands
 * — each past quarter's `ImportCycle`, then each figure's `ImportFigure` — stream by stream.
 */
export class PastFiguresImporter {
  constructor(private readonly engine: QuarterlyEngine) {}

  dryRun(request: ImportRequest): Promise<PastFiguresReport> {
    return this.run(request, 'dry-run');
  }

  apply(request: ImportRequest): Promise<PastFiguresReport> {
    return this.run(request, 'apply');
  }

  private async run(request: ImportRequest, mode: 'dry-run' | 'apply'): Promise<PastFiguresReport> {
    const progress = request.onProgress ?? (() => undefined);
    progress({ phase: 'reading', done: 0, total: 0 });
    const sha256 = createHash('sha256').update(request.content).digest('hex');
    const file = await readPastFiguresFile(request.fileName, request.content);
    progress({ phase: 'planning', done: 0, total: 0 });
    const current = await loadPastFiguresSnapshot(this.engine.store);
    const plan = planPastFiguresImport(file, current, { fileName: request.fileName, sha256, context: request.context });
    const report = { fileName: plan.fileName, sha256, mode, summary: plan.summary, rows: plan.rows, problems: plan.problems };
    if (mode === 'dry-run' || plan.problems.length > 0) {
      progress({ phase: 'done', done: 0, total: plan.streams.length });
      return { ...report, applied: false, eventsAppended: 0 };
    }
    const correlationId = randomUUID();
    let appended = 0;
    for (const [index, stream] of plan.streams.entries()) {
      progress({ phase: 'applying', done: index, total: plan.streams.length });
      const envelope = {
        actor: request.context.actor,
        now: request.context.now,
        correlationId,
        causationId: `past-figures-import:${sha256}`,
        // One command per stream: a second run of the same file finds its key and repeats nothing.
        idempotencyKey: `past-figures-import:${sha256}:${stream.streamId}`,
      };
      try {
        // The events the plan decided on: appended with their revision, so a stream changed since
        // is a conflict, never overwritten.
        const outcome =
          stream.kind === 'cycle'
            ? await this.engine.executor.execute({ streamId: stream.streamId, decider: cycleDecider, command: stream.command, envelope, loaded: stream.loaded, describeState: (s) => s.status })
            : await this.engine.executor.execute({ streamId: stream.streamId, decider: returnDecider, command: stream.command, envelope, loaded: stream.loaded, describeState: (s) => s.status });
        appended += outcome.appended;
      } catch (error) {
        throw new ImportInterruptedError(stream.streamId, index, plan.streams.length, error);
      }
    }
    progress({ phase: 'done', done: plan.streams.length, total: plan.streams.length });
    return { ...report, applied: true, eventsAppended: appended };
  }
}
