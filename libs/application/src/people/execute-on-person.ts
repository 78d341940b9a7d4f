import { assertSignInIdFree, personDecider, personStreamId, proposedSignInId, type PersonCommand, type PersonState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { commandContextOf, type Caller } from '../shared/caller';
import { checkRegisterRules } from '../shared/register-rules.check';
import type { UseCaseDependencies } from '../use-case-dependencies';

/** Which person a use case acts on, and the version the caller saw (If-Match). */
export interface PersonRef {
  readonly personId: string;
  readonly ifMatch?: bigint;
}

/**
 * Every directory change: the person decider decides (only the performance team keeps the
 * directory), after the rules across the directory (a sign-in id names one person: 409 naming
 * the holder) and the register (a directorate the register holds).
 */
export async function executeOnPerson(
  dependencies: UseCaseDependencies,
  ref: PersonRef,
  caller: Caller,
  build: (context: ReturnType<typeof commandContextOf>) => PersonCommand,
): Promise<CommandOutcome<PersonState>> {
  const streamId = personStreamId(ref.personId);
  const command = build(commandContextOf(caller));
  await checkRegisterRules(dependencies.kpiRegister, command);
  const signInId = proposedSignInId(command);
  if (signInId !== undefined) assertSignInIdFree(ref.personId, signInId, await dependencies.directory.holderOfSignInId(signInId));
  return dependencies.executor.execute({
    streamId,
    decider: personDecider,
    command,
    envelope: caller.envelope,
    ...(ref.ifMatch !== undefined ? { ifMatch: ref.ifMatch } : {}),
    describeState: (state) => state.status,
  });
}
