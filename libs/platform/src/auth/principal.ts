import type { Role } from '@quarterly/domain';

/** The authenticated caller, as established from a verified bearer token. */
export interface Principal {
  /** The person's id in the directory (the token's `sub`); recorded as the actor of every event. */
  readonly id: string;
  readonly roles: readonly Role[];
  /** The directorate of a DMT member or service lead, from the `directorate` claim. */
  readonly directorate?: string;
  readonly name?: string;
}
