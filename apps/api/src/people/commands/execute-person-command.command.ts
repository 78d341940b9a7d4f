import { Command } from '@nestjs/cqrs';
import type { PersonCommand, PersonState } from '@quarterly/domain';
import type { CommandEnvelope, CommandOutcome } from '@quarterly/platform';

/** Any command on one person in the directory (register, change details, deactivate). */
export class ExecutePersonCommand extends Command<CommandOutcome<PersonState>> {
  constructor(
    readonly command: PersonCommand,
    readonly envelope: CommandEnvelope,
    readonly ifMatch?: bigint,
  ) {
    super();
  }
}
