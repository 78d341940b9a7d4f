import { Command } from '@nestjs/cqrs';
import type { RegisterPerson, PersonState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { PersonRef } from './execute-on-person';

/** A person joins the directory with their roles. */
export class RegisterPersonCommand extends Command<CommandOutcome<PersonState>> {
  constructor(
    readonly target: PersonRef,
    readonly registration: RegisterPerson['data'],
    readonly caller: Caller,
  ) {
    super();
  }
}
