import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a periodic reading (projection lag, queue depth) reports; see {@link QuarterlyMetrics.addCollector}. */
export type MetricsCollector = () => Promise<void>;

/**
 * Projection lag in events is counted by reading the events after the slowest runner's position,
 * at most this many per scrape: a lag beyond it reads as this number (alert well below it).
 */
export const LAG_SCAN_LIMIT = 10_000;

/** How long one collector may take during a scrape before its readings are left out. */
const COLLECT_TIMEOUT_MS = 1_000;

/**
 * The Prometheus metrics of one process (API or worker), in a registry of its own so that several
 * engines in one process (the tests) never share or clash. Names follow Prometheus conventions:
 * `quarterly_` prefix, base units (seconds), `_total` for counters. The catalogue and the alerts
 * built on it are in docs/deployment.md ("Metrics").
 */
export class QuarterlyMetrics {
  readonly registry = new Registry();

  /** HTTP requests by method, route template (never the raw path: ids would explode the series) and status. */
  readonly httpRequestDuration = new Histogram({
    name: 'quarterly_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** One append to the event store, by outcome (`ok`, `conflict`, `unavailable`, `error`). */
  readonly eventStoreAppendDuration = new Histogram({
    name: 'quarterly_event_store_append_duration_seconds',
    help: 'Event-store append latency by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** Events in the store that a projection or process manager has not applied yet. */
  readonly projectionLagEvents = new Gauge({
    name: 'quarterly_projection_lag_events',
    help: `Events appended but not yet applied, per projection or process manager (counted up to ${LAG_SCAN_LIMIT})`,
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  /** Age of the oldest event a projection or process manager has not applied yet; 0 when caught up. */
  readonly projectionLagSeconds = new Gauge({
    name: 'quarterly_projection_lag_seconds',
    help: 'Age of the oldest event not yet applied, per projection or process manager (0 when caught up)',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  /** Jobs per BullMQ queue and state (waiting, delayed, active, failed). */
  readonly queueJobs = new Gauge({
    name: 'quarterly_queue_jobs',
    help: 'Jobs per reminder queue and state (waiting, delayed, active, failed)',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  /** E-mails the SMTP server accepted. */
  readonly mailsSent = new Counter({
    name: 'quarterly_mails_sent_total',
    help: 'Notification e-mails accepted by the SMTP server',
    registers: [this.registry],
  });

  /** Attempts to send an e-mail that failed: `permanent="true"` is not retried. */
  readonly mailsFailed = new Counter({
    name: 'quarterly_mails_failed_total',
    help: 'Notification e-mail attempts that failed (permanent="true": refused by the server, not retried)',
    labelNames: ['permanent'] as const,
    registers: [this.registry],
  });

  /** How late a reminder, chaser or escalation timer fired against its planned instant. */
  readonly timerLateness = new Histogram({
    name: 'quarterly_timer_lateness_seconds',
    help: 'Delay between the instant a timer was planned to fire and the instant the worker ran it',
    labelNames: ['kind'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 21600, 86400],
    registers: [this.registry],
  });

  /** Readings taken at scrape time that failed or timed out (a dependency down). */
  readonly collectFailures = new Counter({
    name: 'quarterly_metrics_collect_failures_total',
    help: 'Scrape-time readings (projection lag, queue depth) that failed or timed out',
    labelNames: ['collector'] as const,
    registers: [this.registry],
  });

  private readonly collectors = new Map<string, MetricsCollector>();

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * A reading taken at every scrape (projection lag, queue depth), bounded by a timeout: while a
   * dependency is down the other metrics are still served, and `quarterly_metrics_collect_failures_total`
   * counts the miss.
   */
  addCollector(name: string, collector: MetricsCollector): void {
    this.collectors.set(name, collector);
  }

  /** The exposition text (`Content-Type`: {@link contentType}). */
  async render(): Promise<string> {
    await Promise.all(
      [...this.collectors].map(async ([name, collect]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            collect(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error('timeout')), COLLECT_TIMEOUT_MS);
            }),
          ]);
        } catch {
          this.collectFailures.inc({ collector: name });
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Times an async operation into a histogram, labelling it by its outcome. */
  static async time<T>(
    histogram: Histogram<'outcome'>,
    work: () => Promise<T>,
    outcomeOf: (error: unknown) => string,
  ): Promise<T> {
    const end = histogram.startTimer();
    try {
      const result = await work();
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      end({ outcome: outcomeOf(error) });
      throw error;
    }
  }
}
