/**
 * Given / when / then for deciders, without mocks:
 *
 *   const spec = DeciderSpecification.for(returnDecider);
 *   spec.given([requested, submitted]).when(approveBy('dmt.lead')).then([approved]);
 *   spec.given([requested, submitted]).when(approveBy('submitter')).thenThrows(SelfApprovalError);
 *
 * Runs under Jest (uses its global `expect`); import from `@quarterly/domain/testing/decider-specification`.
 * Every `when` also checks that `decide` leaves the folded state untouched, since deciders are pure.
 */
import { Decider, fold } from '../shared/decider';

type ErrorClass = abstract new (...args: never[]) => Error;

export interface DeciderThen<E, S> {
  /** Asserts the exact events produced, and returns the state after applying them. */
  then(expected: readonly E[]): S;
  /** Asserts that the command is accepted but produces no events (an idempotent repeat). */
  thenNothing(): S;
  /** Asserts that `decide` throws an instance of `errorClass`, optionally checked further. */
  thenThrows<T extends Error>(errorClass: ErrorClass & (abstract new (...args: never[]) => T), check?: (error: T) => void): T;
  /** The produced events and resulting state, for assertions beyond equality. */
  result(): { events: E[]; state: S };
}

export class DeciderSpecification<C, E, S> {
  private constructor(private readonly decider: Decider<C, E, S>) {}

  static for<C, E, S>(decider: Decider<C, E, S>): DeciderSpecification<C, E, S> {
    return new DeciderSpecification(decider);
  }

  given(events: readonly E[] = []): { when(command: C): DeciderThen<E, S> } {
    const decider = this.decider;
    return {
      when(command: C): DeciderThen<E, S> {
        const run = (): { events: E[]; state: S } => {
          const state = fold(decider, events);
          const before = JSON.stringify(state);
          let produced: E[];
          try {
            produced = decider.decide(command, state);
          } finally {
            expect(JSON.stringify(state)).toBe(before);
          }
          return { events: produced, state: fold(decider, produced, state) };
        };
        return {
          then(expected) {
            const { events: produced, state } = run();
            expect(produced).toEqual(expected);
            return state;
          },
          thenNothing() {
            const { events: produced, state } = run();
            expect(produced).toEqual([]);
            return state;
          },
          thenThrows(errorClass, check) {
            let thrown: unknown;
            try {
              run();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(errorClass);
            check?.(thrown as never);
            return thrown as never;
          },
          result: run,
        };
      },
    };
  }
}
