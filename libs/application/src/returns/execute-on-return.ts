import { changesWhatReviewerJudges, returnDecider, returnStreamId, type CommandContext, type PeriodId, type ReturnCommand, type ReturnState } from '@quarterly/domain';
import type { CommandOutcome } from '@quarterly/platform/commands/event-sourced-command-executor';
import { commandContextOf, INTERNAL_RETRIES_ON_CONFLICT, type Caller } from '../shared/caller';
import type { UseCaseDependencies } from '../use-case-dependencies';
import { assertMayActOnReturn } from './return-access.policy';
import type { ReturnOnRecord } from './return-on-record.reader';

/** Which return a use case acts on, and the version the caller saw (If-Match), if they say. */
export interface ReturnRef {
  readonly kpiId: string;
  readonly periodId: PeriodId;
  /**
   * The return's version (ETag) the caller decided on: refused with 412 if what a reviewer judges
   * (its figure, narrative, stage) changed since, not for a reminder or a moved due date.
   */
  readonly ifMatch?: bigint;
}

/**
 * The path every use case on a return takes: read the KPI and the return, check the caller may
 * act on this return, build the domain command from what was read, and execute it through the
 * command executor. `If-Match` and a concurrent change are judged by what a reviewer judges
 * (`changesWhatReviewerJudges`): the engine's bookkeeping in between neither makes the caller's
 * version stale nor refuses their command. The engine's own work (`caller.internal`) is decided
 * again on any concurrent change.
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
    makesStale: changesWhatReviewerJudges,
    describeState: (state) => state.status,
    // Decided on the stream just read and checked: a change since is a conflict, decided again
    // when it is only bookkeeping.
    loaded: onRecord.events,
    ...(caller.internal ? { retriesOnConflict: INTERNAL_RETRIES_ON_CONFLICT } : {}),
  });
}
