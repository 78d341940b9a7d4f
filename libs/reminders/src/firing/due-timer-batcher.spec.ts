import { TIMER_BATCH_SIZE, TIMER_WORKER_CONCURRENCY, type TimerJobData } from '../scheduling/reminder-queues';
import { DueTimerBatcher } from './due-timer-batcher';
import type { FireOutcome } from './timer-firing.service';

const timer = (jobId: string) => ({ jobId }) as TimerJobData;

/** A firing service that records the batches it is given and answers from `answer`. */
function recordingFiring(answer: (timer: TimerJobData) => PromiseSettledResult<FireOutcome>) {
  const batches: string[][] = [];
  return {
    batches,
    fireBatch: (timers: readonly TimerJobData[]) => {
      batches.push(timers.map((t) => t.jobId));
      return Promise.resolve(timers.map(answer));
    },
  };
}

describe('DueTimerBatcher', () => {
  it('fires the timers handed over within the window as one batch, each getting its own outcome or error', async () => {
    const firing = recordingFiring((t) =>
      t.jobId === 'b' ? { status: 'rejected', reason: new Error('store unavailable') } : { status: 'fulfilled', value: t.jobId === 'a' ? 'recorded' : 'not_due' },
    );
    const batcher = new DueTimerBatcher(firing, { maxSize: 10, windowMs: 20 });
    const [a, b, c] = [batcher.fire(timer('a')), batcher.fire(timer('b')), batcher.fire(timer('c'))];
    await expect(a).resolves.toBe('recorded');
    await expect(b).rejects.toThrow('store unavailable');
    await expect(c).resolves.toBe('not_due');
    expect(firing.batches).toEqual([['a', 'b', 'c']]);
  });

  it('fires a full batch at once and starts the next with the timers after it', async () => {
    const firing = recordingFiring(() => ({ status: 'fulfilled', value: 'recorded' }));
    const batcher = new DueTimerBatcher(firing, { maxSize: 2, windowMs: 10_000 });
    const first = [batcher.fire(timer('a')), batcher.fire(timer('b'))];
    await Promise.all(first); // did not wait for the 10 s window
    const third = batcher.fire(timer('c'));
    expect(firing.batches).toEqual([['a', 'b']]);
    const fourth = batcher.fire(timer('d'));
    await Promise.all([third, fourth]);
    expect(firing.batches).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('by default fires half of a worker concurrency as one batch without waiting, and gathers the other half meanwhile', async () => {
    const firing = recordingFiring(() => ({ status: 'fulfilled', value: 'recorded' }));
    const batcher = new DueTimerBatcher(firing, { windowMs: 10_000 });
    const ids = Array.from({ length: TIMER_WORKER_CONCURRENCY }, (_, i) => `t${i}`);
    await Promise.all(ids.map((id) => batcher.fire(timer(id)))); // did not wait for the 10 s window
    expect(TIMER_BATCH_SIZE * 2).toBe(TIMER_WORKER_CONCURRENCY);
    expect(firing.batches).toEqual([ids.slice(0, TIMER_BATCH_SIZE), ids.slice(TIMER_BATCH_SIZE)]);
  });

  it('with batches of one, fires each timer as it is handed over', async () => {
    const firing = recordingFiring(() => ({ status: 'fulfilled', value: 'stale' }));
    const batcher = new DueTimerBatcher(firing, { maxSize: 1 });
    await expect(batcher.fire(timer('a'))).resolves.toBe('stale');
    expect(firing.batches).toEqual([['a']]);
  });

  it('fails every timer of a batch whose firing failed as a whole', async () => {
    const batcher = new DueTimerBatcher({ fireBatch: () => Promise.reject(new Error('Redis down')) }, { windowMs: 1 });
    const fired = [batcher.fire(timer('a')), batcher.fire(timer('b'))];
    for (const result of await Promise.allSettled(fired)) expect(result).toEqual({ status: 'rejected', reason: new Error('Redis down') });
  });
});
