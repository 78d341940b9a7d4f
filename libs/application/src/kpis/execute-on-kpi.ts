import { kpiDecider, kpiStreamId, type KpiCommand, type KpiState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { commandContextOf, type Caller } from '../shared/caller';
import { checkRegisterRules } from '../shared/register-rules.check';
import type { UseCaseDependencies } from '../use-case-dependencies';

/** Which KPI a use case acts on, and the register entry's version the caller saw (If-Match). */
export interface KpiRef {
  readonly kpiId: string;
  readonly ifMatch?: bigint;
}

/** Every register change: the KPI decider decides (only the performance team keeps the register). */
export async function executeOnKpi(
  dependencies: UseCaseDependencies,
  ref: KpiRef,
  caller: Caller,
  build: (context: ReturnType<typeof commandContextOf>) => KpiCommand,
): Promise<CommandOutcome<KpiState>> {
  const streamId = kpiStreamId(ref.kpiId); // refuses a malformed id (400) before anything is read
  const command = build(commandContextOf(caller));
  await checkRegisterRules(dependencies.kpiRegister, command);
  return dependencies.executor.execute({
    streamId,
    decider: kpiDecider,
    command,
    envelope: caller.envelope,
    ...(ref.ifMatch !== undefined ? { ifMatch: ref.ifMatch } : {}),
    describeState: (state) => state.status,
  });
}
