/**
 * Runs `work` for every item with at most `limit` at once, starting them in the items' order.
 * Every started call is waited for; if any failed, the first error is thrown after they all
 * settled (and no new one is started once a call has failed), so nothing is left running behind
 * the caller's back.
 */
export async function forEachBoundedParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next]!;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw failure.error;
}

/** {@link forEachBoundedParallel}, keeping each item's result in the items' order. */
export async function mapBoundedParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const indexed = items.map((item, index) => ({ item, index }));
  await forEachBoundedParallel(indexed, limit, async ({ item, index }) => {
    results[index] = await work(item);
  });
  return results;
}
