import type { Role } from '@quarterly/domain';

/**
 * The authenticated caller: a person of the directory, with the roles and directorate the
 * directory holds for them now (never what a token claims).
 */
export interface Principal {
  /** The person's id in the directory; recorded as the actor of every event. */
  readonly id: string;
  readonly roles: readonly Role[];
  /** The directorate of a DMT member or service lead. */
  readonly directorate?: string;
  readonly name?: string;
  readonly email?: string;
}
