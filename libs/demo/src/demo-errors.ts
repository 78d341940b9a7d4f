/** Refusals of the demo loader. */

/** The demo council is loaded only into an empty store, so it never mixes with real data. */
export class DemoStoreNotEmptyError extends Error {
  override readonly name = 'DemoStoreNotEmptyError';
  constructor() {
    super('the event store already holds events; the demo council is loaded only into an empty store');
  }
}

/** The demo data contradicts itself (a KPI without a DMT, a story step out of time): a bug here. */
export class DemoDataError extends Error {
  override readonly name = 'DemoDataError';
}
