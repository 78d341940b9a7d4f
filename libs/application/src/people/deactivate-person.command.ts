import { Command } from '@nestjs/cqrs';
import type { DeactivatePerson, PersonState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { PersonRef } from './execute-on-person';

/** A person is deactivated; their history stays. */
export class DeactivatePersonCommand extends Command<CommandOutcome<PersonState>> {
  constructor(
    readonly target: PersonRef,
    readonly deactivation: DeactivatePerson['data'],
    readonly caller: Caller,
  ) {
    super();
  }
}
