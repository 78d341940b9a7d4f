/**
 * Time as the subscription loop sees it: a millisecond clock and one-shot timers. Injected so
 * that tests move time by hand instead of sleeping through backoffs and silence timeouts.
 */
export interface Scheduler {
  /** Milliseconds on a monotonic-enough clock; only differences are used. */
  now(): number;
  /** Runs `callback` once after `delayMs`; returns a handle for {@link Scheduler.cancel}. */
  schedule(callback: () => void, delayMs: number): unknown;
  /** Cancels a timer that has not fired yet; a no-op for one that has. */
  cancel(handle: unknown): void;
}

/** The process's own timers. */
export const systemScheduler: Scheduler = {
  now: () => performance.now(),
  schedule: (callback, delayMs) => setTimeout(callback, delayMs),
  cancel: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
