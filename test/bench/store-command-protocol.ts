/** What the store-command benchmark (store-command.bench.ts) and its peers (store-command-peer.ts) share. */

/**
 * `quarterly`: this project's PostgreSQL store; `quarterlyChained`: the same with its hash chain,
 * as the engine runs it; `quarterlyPrevious`: `quarterly` as it was before the evening of 30 November (statements
 * sent unnamed, so parsed and planned at every call; one NOTIFY per turn of the event loop), the
 * A/B of those two changes;
 * `emmett`: Emmett 0.42's PostgreSQL store.
 */
export type StoreCommandKind = 'quarterly' | 'quarterlyChained' | 'quarterlyPrevious' | 'emmett';

export type PeerMessage =
  | { readonly type: 'ready'; readonly setupSeconds: number }
  | { readonly type: 'round'; readonly operations: number; readonly seconds: number; readonly cpuMs: number; readonly latencyMs: readonly number[] };

export type PeerRequest = { readonly type: 'round'; readonly seconds: number } | { readonly type: 'stop' };

/** Concurrent callers on each side (each side's pool has as many connections). */
export const STORE_COMMAND_CALLERS = 32;
