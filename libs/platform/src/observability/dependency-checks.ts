/**
 * Readiness checks of the dependencies, shared by the API's `/health/ready` and the worker's
 * health endpoint. Every probe is bounded by a timeout, so a dependency that hangs (Redis
 * restarting, a black-holed network) is reported as down instead of holding the answer.
 */

export interface DependencyCheck {
  readonly name: string;
  /**
   * A critical dependency down makes the instance `unavailable` (a load balancer takes it out);
   * a non-critical one makes it `degraded` (it still serves, something waits).
   */
  readonly critical: boolean;
  probe(): Promise<void>;
}

export interface CheckResult {
  readonly status: 'up' | 'down';
  /** How long the probe took; absent when it timed out. */
  readonly latencyMs?: number;
  /** A short reason for anyone (`connection refused`, `no answer within 1000 ms`). */
  readonly reason?: string;
  /** The raw error message: only for authenticated operators (see {@link withoutRawErrors}). */
  readonly error?: string;
}

export type ReadinessStatus = 'ready' | 'degraded' | 'unavailable';

export interface ReadinessReport {
  readonly status: ReadinessStatus;
  readonly checks: Readonly<Record<string, CheckResult>>;
}

/** Default bound of one probe: the whole report (probes run in parallel) answers within it. */
export const DEFAULT_CHECK_TIMEOUT_MS = 1_000;

export async function runDependencyChecks(
  checks: readonly DependencyCheck[],
  options: { readonly timeoutMs?: number } = {},
): Promise<ReadinessReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const results = await Promise.all(checks.map((check) => probeWithin(check, timeoutMs)));
  const down = checks.filter((_, index) => results[index]!.status === 'down');
  const status: ReadinessStatus = down.some((check) => check.critical) ? 'unavailable' : down.length > 0 ? 'degraded' : 'ready';
  return { status, checks: Object.fromEntries(checks.map((check, index) => [check.name, results[index]!])) };
}

/** The report as anyone may see it: short reasons, no raw error text from a dependency. */
export function withoutRawErrors(report: ReadinessReport): ReadinessReport {
  return {
    status: report.status,
    checks: Object.fromEntries(
      Object.entries(report.checks).map(([name, result]) => {
        const { error: _raw, ...rest } = result;
        return [name, rest];
      }),
    ),
  };
}

async function probeWithin(check: DependencyCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([check.probe().then(() => 'up' as const), timedOut]);
    if (outcome === 'timeout') return { status: 'down', reason: `no answer within ${timeoutMs} ms` };
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 1000) / 1000 };
  } catch (error) {
    return { status: 'down', reason: shortReason(error), error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** A reason that names the kind of failure without a dependency's own words (hosts, paths, users). */
export function shortReason(error: unknown): string {
  for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection reset';
    if (code === 'ETIMEDOUT' || code === 'ETIMEOUT') return 'timed out';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
    if (/^57P0[13]$/.test(code)) return 'shutting down or starting up';
    if (code === '57P02') return 'crash recovery in progress';
    if (code === '53300') return 'too many connections';
    if (code.startsWith('28')) return 'authentication failed';
    if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'locked by another connection';
    if (code.startsWith('SQLITE_READONLY')) return 'read-only';
    if (code.startsWith('SQLITE_FULL')) return 'disk full';
    if (code.startsWith('SQLITE_')) return 'file not usable';
  }
  const message = error instanceof Error ? error.message : String(error);
  // Some clients (nodemailer) keep the system error's code only in their message.
  if (/ECONNREFUSED/.test(message)) return 'connection refused';
  if (/ECONNRESET|EPIPE/.test(message)) return 'connection reset';
  if (/ETIMEDOUT|timed? ?out/i.test(message)) return 'timed out';
  if (/enableOfflineQueue|Connection is closed|not connected|writeable/i.test(message)) return 'not connected';
  if (/closed/i.test(message)) return 'closed';
  return 'not answering';
}
