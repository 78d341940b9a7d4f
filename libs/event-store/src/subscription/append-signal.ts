/**
 * Tells waiting subscriptions that events may have been committed, so they read again at once
 * instead of at their next poll. A hint only: a missed signal costs one poll interval, never an
 * event, because subscriptions always re-read from their checkpoint.
 */
export class AppendSignal {
  private generation = 0;
  private readonly listeners = new Set<() => void>();

  /** Increases on every {@link notify}; compare before and after a read to catch a signal in between. */
  get version(): number {
    return this.generation;
  }

  notify(): void {
    this.generation += 1;
    for (const listener of [...this.listeners]) listener();
  }

  /** Calls `listener` on every later {@link notify}; returns the function that unregisters it. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
