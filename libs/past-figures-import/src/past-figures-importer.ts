import { createHash, randomUUID } from 'node:crypto';
import { cycleDecider, returnDecider } from '@quarterly/domain';
import type { QuarterlyEngine } from '@quarterly/platform';
import { ImportInterruptedError, type ImportRequest } from '@quarterly/spreadsheet-import';
import { readPastFiguresFile } from './past-figures-file.reader';
import { planPastFiguresImport, type FigureRowReport, type PastFiguresProblem, type PastFiguresSummary, type PlannedFigureStream } from './past-figures-import.planner';
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
    const current = await loadPastFiguresSnapshot(this.engine.store, file.rows.map((row) => row.cells['kpiId'] ?? ''));
    const plan = planPastFiguresImport(file, current, { fileName: request.fileName, sha256, context: request.context });
    const report = { fileName: plan.fileName, sha256, mode, summary: plan.summary, rows: plan.rows, problems: plan.problems };
    if (mode === 'dry-run' || plan.problems.length > 0) {
      progress({ phase: 'done', done: 0, total: plan.streams.length });
      return { ...report, applied: false, eventsAppended: 0 };
    }
    const correlationId = randomUUID();
    const total = plan.streams.length;
    let appended = 0;
    let written = 0;
    // Past quarters before their figures; within each, streams are sent a chunk at a time without
    // waiting in between, so a store that commits the appends of one turn together (SQLite's group
    // commit: one transaction, one fsync) writes a chunk at once. Each stream is still its own
    // append with its own expected revision.
    const cycles = plan.streams.filter((s) => s.kind === 'cycle');
    const returns = plan.streams.filter((s) => s.kind === 'return');
    for (const group of [cycles, returns]) {
      for (let start = 0; start < group.length; start += APPEND_CHUNK) {
        progress({ phase: 'applying', done: written, total });
        const chunk = group.slice(start, start + APPEND_CHUNK);
        const outcomes = await Promise.allSettled(chunk.map((stream) => this.write(stream, request, sha256, correlationId)));
        outcomes.forEach((outcome) => {
          if (outcome.status === 'fulfilled') {
            appended += outcome.value;
            written += 1;
          }
        });
        const failed = outcomes.findIndex((outcome) => outcome.status === 'rejected');
        if (failed >= 0) throw new ImportInterruptedError(chunk[failed]!.streamId, written, total, (outcomes[failed] as PromiseRejectedResult).reason);
      }
    }
    progress({ phase: 'done', done: total, total });
    return { ...report, applied: true, eventsAppended: appended };
  }

  /** One planned stream's command, appended at the revision the plan read; the events appended. */
  private async write(stream: PlannedFigureStream, request: ImportRequest, sha256: string, correlationId: string): Promise<number> {
    const envelope = {
      actor: request.context.actor,
      now: request.context.now,
      correlationId,
      causationId: `past-figures-import:${sha256}`,
      // One command per stream: a second run of the same file finds its key and repeats nothing.
      idempotencyKey: `past-figures-import:${sha256}:${stream.streamId}`,
    };
    // The events the plan decided on: a stream changed since is a conflict, never overwritten.
    const outcome =
      stream.kind === 'cycle'
        ? await this.engine.executor.execute({ streamId: stream.streamId, decider: cycleDecider, command: stream.command, envelope, loaded: stream.loaded, describeState: (s) => s.status })
        : await this.engine.executor.execute({ streamId: stream.streamId, decider: returnDecider, command: stream.command, envelope, loaded: stream.loaded, describeState: (s) => s.status });
    return outcome.appended;
  }
}

/** Streams appended without waiting in between: one group commit on SQLite. */
const APPEND_CHUNK = 500;
