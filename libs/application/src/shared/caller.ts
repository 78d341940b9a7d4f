import type { CommandContext } from '@quarterly/domain';
import type { CommandEnvelope } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Principal } from '@quarterly/platform/auth/principal';

/**
 * Who issues a use case and how the request is tied to others, whichever door it came through
 * (the JSON API, the pages, the demo loader, the reminder worker). The door authenticates the
 * principal and builds the envelope (its clock, correlation, idempotency key); the use case
 * authorises and decides.
 */
export interface Caller {
  readonly principal: Principal;
  readonly envelope: CommandEnvelope;
  /**
   * The engine's own work (a timer, the demo's story) rather than a person's request: on a
   * concurrent change it is decided again on the fresh stream instead of refused with 409.
   * @defaultValue false
   */
  readonly internal?: boolean;
}

/** How often the engine's own work is decided again after a concurrent change. */
export const INTERNAL_RETRIES_ON_CONFLICT = 5;

/** The domain's view of who acts and when. */
export function commandContextOf({ principal, envelope }: Caller): CommandContext {
  return { actor: principal.id, roles: principal.roles, now: envelope.now };
}
