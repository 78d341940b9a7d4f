/**
 * Loads the demo council (the data the Quick start shows) into an empty event store.
 *
 * Every change goes through the application layer's use cases, as the API's requests do, so the
 * history is exactly what the API would have recorded: people registered, the KPI register kept, five
 * quarterly cycles run to publication (with challenges, a figure not available, a restatement)
 * and the current cycle open with returns at every stage.
 *
 * The history is generated with a simulated clock ({@link AdjustableClock}) moved through the
 * story: events carry realistic past timestamps (`metadata.recordedAt`) from before the load,
 * ending before `now`. They do not record when the load actually ran.
 */
import { CycleReturnsProcessManager, UseCaseBus, UseCaseDependencies } from '@quarterly/application';
import { EnglandAndWalesCalendar } from '@quarterly/calendar';
import { cycleDecider, cycleStreamId, returnDecider, returnStreamId, type PeriodId, type Role } from '@quarterly/domain';
import { IntegrityAnchorRecorder, type EventStore } from '@quarterly/event-store';
import { AdjustableClock, type EventSourcedCommandExecutor } from '@quarterly/platform';
import { DemoStoreNotEmptyError } from './demo-errors';
import { DEMO_KPIS } from './demo-kpis';
import { DEMO_PEOPLE, type DemoDirectorate } from './demo-people';
import { DemoKpiRegister, DemoPeopleDirectory } from './demo-read-side';
import { DemoStepRunner } from './demo-step-runner';
import { buildDemoTimeline } from './demo-timeline';

export interface SeedDemoCouncilOptions {
  /** The executor over `store`; every change goes through it and the domain's deciders. */
  readonly executor: EventSourcedCommandExecutor;
  /** The store to load. It must be empty: the demo never mixes with real data. */
  readonly store: EventStore;
  /**
   * The real now. The story is anchored on it and ends just before it: the current cycle is the
   * latest quarter that ended at least 35 days earlier (2026/27-Q2 on 22 November 2026).
   */
  readonly now: Date;
}

/** Someone to sign in as (mint a token for) when trying the demo. */
export interface DemoUser {
  readonly personId: string;
  readonly name: string;
  readonly jobTitle: string;
  readonly roles: readonly Role[];
  readonly directorate?: DemoDirectorate;
}

export interface DemoCouncilSummary {
  readonly people: number;
  /** KPIs in the register, the retired one included. */
  readonly kpis: number;
  readonly cycles: number;
  /** The open cycle, e.g. `2026/27-Q2`. */
  readonly currentCycleId: PeriodId;
  /**
   * Returns of every cycle by where they stand: the return's status (`requested`, `submitted`,
   * `challenged`, `resubmitted`, `approved`, `marked_not_available`, `restated`), except that an
   * open return escalated to the DMT or CLT counts as `escalated_to_dmt` or `escalated_to_clt`.
   */
  readonly returnsByState: Record<string, number>;
  readonly demoUsers: readonly DemoUser[];
  /** The span of the generated history on the simulated clock, and a note saying so. */
  readonly simulatedClock: { readonly from: string; readonly to: string; readonly note: string };
}

/**
 * Loads the demo council. Throws {@link DemoStoreNotEmptyError} (and writes nothing) when the
 * store already holds an event.
 */
export async function seedDemoCouncil(options: SeedDemoCouncilOptions): Promise<DemoCouncilSummary> {
  const { executor, store, now } = options;
  if ((await store.readAll({ limit: 1 })).length > 0) throw new DemoStoreNotEmptyError();

  const calendar = new EnglandAndWalesCalendar();
  const timeline = buildDemoTimeline(now, calendar);
  const first = timeline.steps[0]!;
  const last = timeline.steps[timeline.steps.length - 1]!;
  const clock = new AdjustableClock(first.at);
  const useCases = new UseCaseBus(
    new UseCaseDependencies({ executor, directory: new DemoPeopleDirectory(executor), kpiRegister: new DemoKpiRegister(), calendar }),
  );
  const runner = new DemoStepRunner(useCases, store, clock, new CycleReturnsProcessManager(useCases));
  for (const step of timeline.steps) await runner.run(step);
  // The story's events anchored, at its last instant on the simulated clock, as the engine would
  // have anchored them every ANCHOR_INTERVAL_SECONDS: the auditors' digest and `verify` have
  // anchors to show from the first minute of the demo.
  await new IntegrityAnchorRecorder(store, { clock: () => last.at }).anchorPending();

  return {
    people: DEMO_PEOPLE.length,
    kpis: DEMO_KPIS.length,
    cycles: timeline.cycles.length,
    currentCycleId: timeline.currentCycleId,
    returnsByState: await countReturnsByState(executor, timeline.cycles),
    demoUsers: DEMO_PEOPLE.map(({ personId, name, jobTitle, roles, directorate }) => ({ personId, name, jobTitle, roles, ...(directorate ? { directorate } : {}) })),
    simulatedClock: {
      from: first.at.toISOString(),
      to: last.at.toISOString(),
      note: 'The demo history was generated with a simulated clock: event timestamps tell the story, not when it was loaded.',
    },
  };
}

async function countReturnsByState(executor: EventSourcedCommandExecutor, cycles: readonly PeriodId[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const cycleId of cycles) {
    const { state: cycle } = await executor.load(cycleStreamId(cycleId), cycleDecider);
    if (cycle.status !== 'open' && cycle.status !== 'closed') continue;
    for (const request of cycle.cycle.requestedReturns) {
      const { state } = await executor.load(returnStreamId(request.kpiId, cycleId), returnDecider);
      if (state.status === 'not_requested') continue;
      const escalated = state.status !== 'approved' && state.escalationLevel !== 'none';
      const key = escalated ? `escalated_to_${state.escalationLevel}` : state.status;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
}
