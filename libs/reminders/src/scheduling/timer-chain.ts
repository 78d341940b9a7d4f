import type { PlannedTimer } from '../planning/planned-timer';
import type { TimerJobData } from './reminder-queues';

/**
 * One plan (the timers one event calls for) as one chain of jobs: the first timer is the job,
 * carrying the later ones in `then`, in firing order. When a timer fires, the next one becomes a
 * job before anything else is done ({@link nextInChain}), so there is one pending job per plan
 * instead of one per timer: a cycle of 10,000 returns adds 10,000 jobs to Redis instead of 90,000.
 *
 * The timers are the plan's, with the same job ids, fired at the same instants and judged the same
 * way when they fire (a stale or no-longer-due timer still passes the chain on), so the chain
 * does exactly what the plan's jobs did when they were all added at once.
 */
export function chainOf(cycleId: string, plan: readonly PlannedTimer[]): TimerJobData[] {
  const [first, ...then] = plan;
  if (!first) return [];
  return [{ ...first, cycleId, ...(then.length > 0 ? { then } : {}) }];
}

/** The job that follows `timer` in its chain, carrying the rest; undefined at the end (and for a job added before chains, which has no `then`). */
export function nextInChain(timer: TimerJobData): TimerJobData | undefined {
  return chainOf(timer.cycleId, timer.then ?? [])[0];
}

/** Every timer of the chains: each job and the timers it carries. */
export function timersIn(jobs: readonly TimerJobData[]): number {
  return jobs.reduce((count, job) => count + 1 + (job.then?.length ?? 0), 0);
}
