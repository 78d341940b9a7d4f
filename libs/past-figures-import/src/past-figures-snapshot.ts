import {
  cycleDecider,
  kpiStreamId,
  kpiDecider,
  returnDecider,
  type CycleEvent,
  type CycleState,
  type KpiEvent,
  type KpiState,
  type ReturnEvent,
  type ReturnState,
} from '@quarterly/domain';
import type { EventStore, RecordedEvent } from '@quarterly/event-store';
import { eventCodec } from '@quarterly/event-codec';

/** A stream as the plan read it: its state, its events (handed to the apply) and revision. */
export interface StreamSnapshot<S> {
  readonly state: S;
  readonly events: readonly RecordedEvent[];
  readonly revision: bigint;
}

/** What a past-figures import decides against: every KPI, cycle and return stream as they stand. */
export interface PastFiguresSnapshot {
  /** By KPI id. */
  readonly kpis: ReadonlyMap<string, StreamSnapshot<KpiState>>;
  /** By stream id (`cycle-2023-24-Q2`, `return-ENV-01-2023-24-Q2`). */
  readonly cycles: ReadonlyMap<string, StreamSnapshot<CycleState>>;
  readonly returns: ReadonlyMap<string, StreamSnapshot<ReturnState>>;
}

const PAGE = 5_000;

/**
 * Reads the KPI, cycle and return streams from the event store itself (not the read models), in
 * one pass over the global order, so that the plan decides on the truth even when no projection
 * runs (the command line, a fresh deployment). It costs time in proportion to the store.
 *
 * The KPIs the file names (`kpiIds`) are then read again stream by stream: the global order may
 * lag the streams (on PostgreSQL it shows only what lies below the cluster's transaction horizon),
 * so a register imported a moment ago could otherwise be missing or show last year's targets.
 */
export async function loadPastFiguresSnapshot(store: EventStore, kpiIds: readonly string[] = []): Promise<PastFiguresSnapshot> {
  const byStream = new Map<string, RecordedEvent[]>();
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ ...(after === undefined ? {} : { after }), limit: PAGE });
    for (const event of page) {
      const id = event.streamId;
      if (!id.startsWith('kpi-') && !id.startsWith('cycle-') && !id.startsWith('return-')) continue;
      const list = byStream.get(id);
      if (list) list.push(event);
      else byStream.set(id, [event]);
    }
    if (page.length > 0) after = page[page.length - 1]!.position;
    if (page.length < PAGE) break;
  }
  const kpis = new Map<string, StreamSnapshot<KpiState>>();
  const cycles = new Map<string, StreamSnapshot<CycleState>>();
  const returns = new Map<string, StreamSnapshot<ReturnState>>();
  for (const [streamId, events] of byStream) {
    const revision = events[events.length - 1]!.revision;
    if (streamId.startsWith('kpi-')) {
      const state = eventCodec.decodeStream<KpiEvent>(events).reduce((s, e) => kpiDecider.evolve(s, e), kpiDecider.initialState);
      if (state.status !== 'not_defined') kpis.set(state.kpi.kpiId, { state, events, revision });
    } else if (streamId.startsWith('cycle-')) {
      const state = eventCodec.decodeStream<CycleEvent>(events).reduce((s, e) => cycleDecider.evolve(s, e), cycleDecider.initialState);
      cycles.set(streamId, { state, events, revision });
    } else {
      const state = eventCodec.decodeStream<ReturnEvent>(events).reduce((s, e) => returnDecider.evolve(s, e), returnDecider.initialState);
      returns.set(streamId, { state, events, revision });
    }
  }
  const known = new Map([...kpis.keys()].map((id) => [id.toLowerCase(), id]));
  for (const named of new Set(kpiIds.map((id) => id.trim()).filter((id) => id !== ''))) {
    const kpiId = known.get(named.toLowerCase()) ?? named;
    const events = await store.readStream(kpiStreamId(kpiId));
    if (events.length === 0) continue;
    const state = eventCodec.decodeStream<KpiEvent>(events).reduce((s, e) => kpiDecider.evolve(s, e), kpiDecider.initialState);
    if (state.status !== 'not_defined') kpis.set(state.kpi.kpiId, { state, events, revision: events[events.length - 1]!.revision });
  }
  return { kpis, cycles, returns };
}
