import type { FireOutcome, TimerFiringService } from './timer-firing.service';
import { TIMER_BATCH_SIZE, type TimerJobData } from '../scheduling/reminder-queues';

export interface DueTimerBatchOptions {
  /**
   * Timers fired together at most; a full batch is fired at once, without waiting for the window.
   * A worker hands over at most its concurrency at once: half of it lets one batch gather while
   * the other fires. 1 fires each timer on its own, as soon as it is handed over.
   * @defaultValue {@link TIMER_BATCH_SIZE} (64)
   */
  readonly maxSize?: number;
  /** How long the first timer of a batch waits for others before the batch is fired. @defaultValue 5 ms */
  readonly windowMs?: number;
}

interface Waiting {
  readonly timer: TimerJobData;
  readonly resolve: (outcome: FireOutcome) => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * Gathers the timers a BullMQ worker hands over one job at a time into batches for
 * {@link TimerFiringService.fireBatch}: when many timers are due at one instant the worker holds
 * as many jobs as its concurrency, and they are fired with shared round trips. Each job still
 * gets its own outcome (or error, and BullMQ retries that job alone).
 */
export class DueTimerBatcher {
  private readonly maxSize: number;
  private readonly windowMs: number;
  private waiting: Waiting[] = [];
  private window: NodeJS.Timeout | undefined;

  constructor(
    private readonly firing: Pick<TimerFiringService, 'fireBatch'>,
    options: DueTimerBatchOptions = {},
  ) {
    this.maxSize = Math.max(1, options.maxSize ?? TIMER_BATCH_SIZE);
    this.windowMs = options.windowMs ?? 5;
  }

  fire(timer: TimerJobData): Promise<FireOutcome> {
    return new Promise<FireOutcome>((resolve, reject) => {
      this.waiting.push({ timer, resolve, reject });
      if (this.waiting.length >= this.maxSize) this.flush();
      else this.window ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  private flush(): void {
    if (this.window) clearTimeout(this.window);
    this.window = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    this.firing.fireBatch(batch.map(({ timer }) => timer)).then(
      (results) =>
        results.forEach((result, i) => {
          if (result.status === 'fulfilled') batch[i]!.resolve(result.value);
          else batch[i]!.reject(result.reason);
        }),
      (error: unknown) => batch.forEach(({ reject }) => reject(error)),
    );
  }
}
