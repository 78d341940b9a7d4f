import { randomUUID } from 'node:crypto';
import type { BeforeApplicationShutdown } from '@nestjs/common';
import { type EventLogReader, type VerificationReport, verifyEventLog } from '@quarterly/event-store';

/** A whole-store verification the API runs in the background, as its status resource shows it. */
export interface IntegrityVerification {
  readonly id: string;
  readonly status: 'running' | 'completed' | 'failed';
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Events checked so far (while running), or in all (once completed). */
  readonly eventsChecked: number;
  /** The verifier's report once completed: `ok`, and `firstProblem` naming the first event that does not match. */
  readonly report?: VerificationReport;
  /** Why it could not finish (the store became unavailable, the API shut down). */
  readonly error?: string;
}

export interface IntegrityVerificationsOptions {
  /** Events read and checked between two yields to the API's other work. @defaultValue 1000 */
  readonly pageSize?: number;
  /** Finished verifications kept for their status resource, newest first. @defaultValue 20 */
  readonly keep?: number;
}

class ShutDownError extends Error {}

/**
 * Whole-store verifications for the API, run in the background so that no request waits minutes
 * for one: `start` answers at once with a status resource; the pass reads the store a page at a
 * time and yields to the event loop between pages (`setImmediate`), so the API keeps serving
 * requests while it runs. At most one runs at a time: asking again while one runs joins it, so
 * auditors' repeated clicks cannot pile passes onto one thread. Results are kept in memory (this
 * API instance's; each instance has its own) for the last few runs.
 *
 * Checking one stream stays synchronous (`verifyEventLog` with `streamId`): it reads one stream.
 */
export class IntegrityVerifications implements BeforeApplicationShutdown {
  private readonly runs = new Map<string, IntegrityVerification>();
  private running: IntegrityVerification | undefined;
  /** The promise of each running pass, which settles with its outcome. */
  private readonly finished = new Map<string, Promise<IntegrityVerification>>();
  private shuttingDown = false;
  private readonly pageSize: number;
  private readonly keep: number;

  constructor(
    private readonly store: EventLogReader,
    private readonly now: () => Date,
    options: IntegrityVerificationsOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 1000;
    this.keep = options.keep ?? 20;
  }

  /** Starts a whole-store verification, or answers the one already running; `done` settles when it ends. */
  start(): { verification: IntegrityVerification; joined: boolean; done: Promise<IntegrityVerification> } {
    if (this.running !== undefined) return { verification: this.running, joined: true, done: this.finished.get(this.running.id)! };
    const id = randomUUID();
    this.record({ id, status: 'running', startedAt: this.now().toISOString(), eventsChecked: 0 });
    const done = this.run(id);
    this.finished.set(id, done);
    return { verification: this.running!, joined: false, done };
  }

  get(id: string): IntegrityVerification | undefined {
    return this.runs.get(id);
  }

  /** The verification started last (running or finished), if any is kept. */
  latest(): IntegrityVerification | undefined {
    let last: IntegrityVerification | undefined;
    for (const verification of this.runs.values()) if (last === undefined || verification.startedAt >= last.startedAt) last = verification;
    return last;
  }

  /** Stops a running pass at its next page, before the engine (and its store) closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    const running = this.running;
    if (running !== undefined) await this.finished.get(running.id);
  }

  private async run(id: string): Promise<IntegrityVerification> {
    let outcome: IntegrityVerification;
    try {
      const report = await verifyEventLog(this.store, {
        pageSize: this.pageSize,
        afterPage: async (progress) => {
          this.record({ ...this.runs.get(id)!, eventsChecked: progress.eventsChecked });
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (this.shuttingDown) throw new ShutDownError('the API shut down before the verification finished');
        },
      });
      outcome = { ...this.runs.get(id)!, status: 'completed', finishedAt: this.now().toISOString(), eventsChecked: report.eventsChecked, report };
    } catch (error) {
      outcome = {
        ...this.runs.get(id)!,
        status: 'failed',
        finishedAt: this.now().toISOString(),
        error: error instanceof Error ? error.message : String(error),
      };
    }
    this.record(outcome);
    this.finished.delete(id);
    return outcome;
  }

  private record(verification: IntegrityVerification): void {
    this.runs.delete(verification.id);
    this.runs.set(verification.id, verification);
    this.running = verification.status === 'running' ? verification : this.running?.id === verification.id ? undefined : this.running;
    // Map order is insertion order: drop the oldest finished runs beyond `keep`.
    for (const [id, kept] of this.runs) {
      if (this.runs.size <= this.keep) break;
      if (kept.status !== 'running') this.runs.delete(id);
    }
  }
}
