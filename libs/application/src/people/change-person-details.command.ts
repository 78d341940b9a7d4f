import { Command } from '@nestjs/cqrs';
import type { ChangePersonDetails, PersonState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import type { Caller } from '../shared/caller';
import type { PersonRef } from './execute-on-person';

/** A person's name, e-mail, roles or directorate change. */
export class ChangePersonDetailsCommand extends Command<CommandOutcome<PersonState>> {
  constructor(
    readonly target: PersonRef,
    readonly details: ChangePersonDetails['data'],
    readonly caller: Caller,
  ) {
    super();
  }
}
