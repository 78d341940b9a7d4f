/**
 * A decider is the whole behaviour of one stream type, as three pure functions' worth of data:
 * where a stream starts, how each event changes the state, and which events a command produces.
 *
 * Command handlers read a stream, {@link fold} it with `evolve`, call `decide`, and append the
 * result with the expected revision. `decide` either returns the new events (possibly none, for an
 * idempotent repeat) or throws a {@link DomainError}; it never performs I/O or reads a clock.
 */
export interface Decider<C, E, S> {
  /** The state of a stream that has no events yet. */
  readonly initialState: S;
  /** Applies one recorded event. Must accept every event `decide` can produce, and never throw. */
  evolve(state: S, event: E): S;
  /** Turns a command into events, or throws a named DomainError when the command is refused. */
  decide(command: C, state: S): E[];
}

/** Every event is a plain-JSON `data` object tagged with its past-tense `type`. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

/** Replays events over a state (the decider's initial state unless another is given). */
export function fold<C, E, S>(
  decider: Decider<C, E, S>,
  events: readonly E[],
  from: S = decider.initialState,
): S {
  return events.reduce((state, event) => decider.evolve(state, event), from);
}
