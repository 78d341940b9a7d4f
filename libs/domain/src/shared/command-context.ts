/** The roles a person can hold; a person may hold several. */
export type Role = 'performance-team' | 'service-lead' | 'dmt' | 'clt' | 'auditor' | 'member';

export const ROLES: readonly Role[] = [
  'performance-team',
  'service-lead',
  'dmt',
  'clt',
  'auditor',
  'member',
];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Who issues a command and when. The domain has no clock and no session of its own: the
 * command handler fills this in from the authenticated request (or `system:<name>` for work
 * done by the engine itself) and from the injected clock.
 */
export interface CommandContext {
  /** The user id of the person (or `system:<name>` for internal work) issuing the command. */
  readonly actor: string;
  /** The roles the actor holds at the time of the command. */
  readonly roles: readonly Role[];
  /** The moment the command is decided, an ISO 8601 instant (UTC), from the injected clock. */
  readonly now: string;
}

export function hasAnyRole(context: CommandContext, roles: readonly Role[]): boolean {
  return context.roles.some((role) => roles.includes(role));
}
