import { returnDecider, returnStreamId, type CommandContext, type PeriodId, type ReturnCommand, type ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { commandContextOf, INTERNAL_RETRIES_ON_CONFLICT, type Caller } from '../shared/caller';
import type { UseCaseDependencies } from '../use-case-dependencies';
import { assertMayActOnReturn } from './return-access.policy';
import type { ReturnOnRecord } from './return-on-record.reader';
import { returnReviewVersion } from './review-version';

/** Which return a use case acts on, and the version the caller saw (If-Match), if they say. */
export interface ReturnRef {
  readonly kpiId: string;
  readonly periodId: PeriodId;
  /** The return's version (ETag) the caller decided on; refused with 412 if it moved since. */
  readonly ifMatch?: bigint;
}

/**
 * The path every use case on a return takes: read the KPI and the return, check the caller may
 * act on this return, build the domain command from what was read, and execute it through the
 * command executor against the return's review version. The engine's own work (`caller.internal`)
 * is decided again on a concurrent change; a person's command is refused (409) unless only events
 * a reviewer does not judge by came in between.
 */
export async function executeOnReturn(
  dependencies: UseCaseDependencies,
  ref: ReturnRef,
  caller: Caller,
  build: (onRecord: ReturnOnRecord, context: CommandContext) => ReturnCommand | Promise<ReturnCommand>,
): Promise<CommandOutcome<ReturnState>> {
  const onRecord = await dependencies.returns.load(ref.kpiId, ref.periodId);
  assertMayActOnReturn(caller.principal, onRecord.kpi);
  const command = await build(onRecord, commandContextOf(caller));
  return dependencies.executor.execute({
    streamId: returnStreamId(ref.kpiId, ref.periodId),
    decider: returnDecider,
    command,
    envelope: caller.envelope,
    ...(ref.ifMatch !== undefined ? { ifMatch: ref.ifMatch } : {}),
    versionOf: returnReviewVersion,
    describeState: (state) => state.status,
    // Decided on the version just read and checked: a change since then is a conflict.
    loaded: onRecord.events,
    ...(caller.internal ? { retriesOnConflict: INTERNAL_RETRIES_ON_CONFLICT } : {}),
  });
}
