import type { Kysely } from 'kysely';
import { ProjectionTimeoutError, type ReadModelSchema } from '@quarterly/read-models';

interface Waiter {
  readonly name: string;
  readonly position: bigint;
  readonly deadline: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Waits for checkpoints that another instance stores (a stand-by API waiting for the worker's
 * projections, for read-your-writes). However many requests wait, one query reads the
 * checkpoints they wait for, every `intervalMs` while anyone waits, and answers all of them.
 */
export class StoredCheckpointWatcher {
  private readonly waiters = new Set<Waiter>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly db: Kysely<ReadModelSchema>,
    private readonly intervalMs = 10,
  ) {}

  /** Resolves once the checkpoint `name` stored is at `position` or beyond; rejects after `timeoutMs` or if it cannot be read. */
  waitFor(name: string, position: bigint, timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.add({ name, position, deadline: Date.now() + timeoutMs, resolve, reject });
      this.schedule(0);
    });
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || this.polling) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, delayMs);
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      const names = [...new Set([...this.waiters].map((waiter) => waiter.name))];
      const rows = await this.db.selectFrom('projection_checkpoints').select(['name', 'position']).where('name', 'in', names).execute();
      const stored = new Map(rows.map((row) => [row.name, BigInt(row.position)]));
      const now = Date.now();
      for (const waiter of this.waiters) {
        const reached = stored.get(waiter.name);
        if (reached !== undefined && reached >= waiter.position) {
          this.waiters.delete(waiter);
          waiter.resolve();
        } else if (now >= waiter.deadline) {
          this.waiters.delete(waiter);
          waiter.reject(new ProjectionTimeoutError(waiter.name, waiter.position, reached));
        }
      }
    } catch (error) {
      // The read models cannot be read (a 503 for the query that waits): tell every waiter now.
      for (const waiter of this.waiters) waiter.reject(error);
      this.waiters.clear();
    } finally {
      this.polling = false;
      if (this.waiters.size > 0) this.schedule(this.intervalMs);
    }
  }
}
