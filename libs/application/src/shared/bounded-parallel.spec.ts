import { forEachBoundedParallel, mapBoundedParallel } from './bounded-parallel';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('forEachBoundedParallel', () => {
  it('never runs more than the limit at once, and runs every item once', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await forEachBoundedParallel(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (i) => {
        running += 1;
        most = Math.max(most, running);
        await tick();
        seen.push(i);
        running -= 1;
      },
    );
    expect(most).toBe(4);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('throws the first error only after the calls already started have settled, and starts no more', async () => {
    const settled: number[] = [];
    const started: number[] = [];
    const run = forEachBoundedParallel([0, 1, 2, 3, 4, 5, 6, 7], 3, async (i) => {
      started.push(i);
      await tick();
      if (i === 1) throw new Error('item 1 failed');
      await tick();
      settled.push(i);
    });
    await expect(run).rejects.toThrow('item 1 failed');
    // 0 and 2 were running beside 1 and finished; once 1 failed, no lane took a new item.
    expect(started).toEqual([0, 1, 2]);
    expect(settled.sort()).toEqual([0, 2]);
  });

  it('does nothing for no items', async () => {
    await expect(forEachBoundedParallel([], 8, () => Promise.reject(new Error('called')))).resolves.toBeUndefined();
  });
});

describe('mapBoundedParallel', () => {
  it("keeps each result at its item's place whatever order the calls finish in", async () => {
    const results = await mapBoundedParallel([30, 10, 20, 0], 4, async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms * 2;
    });
    expect(results).toEqual([60, 20, 40, 0]);
  });
});
