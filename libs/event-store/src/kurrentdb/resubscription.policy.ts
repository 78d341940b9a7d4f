/**
 * When to give up on a `$all` subscription and how long to wait before opening the next one.
 *
 * Pure: it holds no timers and reads no clock. The caller passes the current time in
 * milliseconds, so tests drive it with plain numbers and the subscription drives it with its
 * injected {@link Scheduler}.
 */
export interface ResubscriptionPolicyOptions {
  /**
   * Wait before the first resubscription after a failure, in milliseconds.
   * @defaultValue 250
   */
  readonly initialDelayMs?: number;
  /**
   * Upper bound of the wait, however many failures in a row, in milliseconds.
   * @defaultValue 30_000
   */
  readonly maxDelayMs?: number;
  /**
   * Each further failure in a row multiplies the wait by this factor.
   * @defaultValue 2
   */
  readonly multiplier?: number;
  /**
   * Fraction of the wait that is randomised (0 to 1), so that several API replicas whose
   * subscriptions dropped together do not all reconnect in the same instant.
   * @defaultValue 0.2
   */
  readonly jitter?: number;
  /**
   * A subscription that has delivered no event, checkpoint or caught-up notice for this long,
   * while we were waiting on it, is presumed dead (a half-open connection) and replaced.
   * The server sends checkpoints while it scans past filtered-out events, so a busy store is
   * never silent; an idle one is, and is then re-opened once per interval, which is cheap.
   * @defaultValue 300_000
   */
  readonly silenceTimeoutMs?: number;
  /**
   * Source of randomness for the jitter, returning a number in [0, 1).
   * @defaultValue Math.random
   */
  readonly random?: () => number;
}

export class ResubscriptionPolicy {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly multiplier: number;
  private readonly jitter: number;
  private readonly random: () => number;
  readonly silenceTimeoutMs: number;

  private failuresInARow = 0;
  private lastActivityAt: number;

  constructor(options: ResubscriptionPolicyOptions = {}, nowMs = 0) {
    this.initialDelayMs = options.initialDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.multiplier = options.multiplier ?? 2;
    this.jitter = options.jitter ?? 0.2;
    this.silenceTimeoutMs = options.silenceTimeoutMs ?? 300_000;
    this.random = options.random ?? Math.random;
    if (!(this.initialDelayMs > 0 && this.maxDelayMs >= this.initialDelayMs)) {
      throw new RangeError('resubscription delays must satisfy 0 < initialDelayMs <= maxDelayMs');
    }
    if (!(this.multiplier >= 1)) throw new RangeError('resubscription multiplier must be >= 1');
    if (!(this.jitter >= 0 && this.jitter <= 1)) throw new RangeError('jitter must be within [0, 1]');
    if (!(this.silenceTimeoutMs > 0)) throw new RangeError('silenceTimeoutMs must be > 0');
    this.lastActivityAt = nowMs;
  }

  /** The number of failed subscriptions since the last one that made progress. */
  get consecutiveFailures(): number {
    return this.failuresInARow;
  }

  /**
   * Records a failed or ended subscription and returns how long to wait before the next one:
   * `initialDelayMs × multiplier^(failures − 1)`, capped at `maxDelayMs`, minus up to `jitter`
   * of itself.
   */
  nextDelayMs(): number {
    const exponent = this.failuresInARow;
    this.failuresInARow += 1;
    const base = Math.min(this.maxDelayMs, this.initialDelayMs * this.multiplier ** exponent);
    return Math.round(base * (1 - this.jitter * this.random()));
  }

  /**
   * The subscription delivered an event or a checkpoint: it works, so the next failure starts
   * the backoff again from `initialDelayMs`. (A bare confirmation does not count: a server that
   * accepts and then fails at once must not be hammered at the initial delay forever.)
   */
  recordProgress(nowMs: number): void {
    this.failuresInARow = 0;
    this.recordActivity(nowMs);
  }

  /** Any sign of life from the server, or the end of our own handler's work. */
  recordActivity(nowMs: number): void {
    this.lastActivityAt = Math.max(this.lastActivityAt, nowMs);
  }

  /** The moment at which, without further activity, the subscription counts as silent. */
  silentAt(): number {
    return this.lastActivityAt + this.silenceTimeoutMs;
  }

  isSilent(nowMs: number): boolean {
    return nowMs >= this.silentAt();
  }
}
