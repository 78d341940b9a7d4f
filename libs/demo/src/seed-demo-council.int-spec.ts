import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cycleDecider,
  cycleStreamId,
  fold,
  returnDecider,
  type KpiDefinedData,
  type KpiDefinitionAmendedData,
  type KpiTargetPolicySetData,
  type ReturnEvent,
  type ReturnState,
} from '@quarterly/domain';
import { SqliteEventStore, type RecordedEvent } from '@quarterly/event-store';
import { EventSourcedCommandExecutor } from '@quarterly/platform';
import { DEMO_PEOPLE } from './demo-people';
import { DemoStoreNotEmptyError } from './demo-errors';
import { seedDemoCouncil, type DemoCouncilSummary } from './seed-demo-council';

const NOW = new Date('2026-11-22T09:00:00.000Z');
const HISTORY = ['2025/26-Q1', '2025/26-Q2', '2025/26-Q3', '2025/26-Q4', '2026/27-Q1'];
const CURRENT = '2026/27-Q2';

interface SeededStore {
  readonly store: SqliteEventStore;
  readonly summary: DemoCouncilSummary;
  readonly events: RecordedEvent[];
}

async function seedInto(directory: string, name: string): Promise<SeededStore> {
  const store = new SqliteEventStore({ filename: join(directory, name) });
  const summary = await seedDemoCouncil({ executor: new EventSourcedCommandExecutor(store), store, now: NOW });
  return { store, summary, events: await readEverything(store) };
}

async function readEverything(store: SqliteEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ limit: 500, ...(events.length > 0 ? { after: events[events.length - 1]!.position } : {}) });
    if (page.length === 0) return events;
    events.push(...page);
  }
}

function byStream(events: readonly RecordedEvent[], prefix: string): Map<string, RecordedEvent[]> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const event of events.filter((candidate) => candidate.streamId.startsWith(prefix))) {
    streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event]);
  }
  return streams;
}

describe('seedDemoCouncil into an empty SQLite event store', () => {
  let directory: string;
  let seeded: SeededStore;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'quarterly-demo-'));
    seeded = await seedInto(directory, 'first.sqlite');
  }, 180_000);

  afterAll(async () => {
    await seeded?.store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('reports the people, register and cycles it loaded', () => {
    const { summary } = seeded;
    expect(summary).toMatchObject({ people: 19, kpis: 37, cycles: 6, currentCycleId: CURRENT });
    expect(summary.demoUsers).toHaveLength(19);
    expect(summary.demoUsers).toContainEqual({ personId: 'p.team', name: 'Priya Tanner', jobTitle: 'Performance and Intelligence Manager', roles: ['performance-team'] });
    expect(summary.demoUsers).toContainEqual(expect.objectContaining({ personId: 'h.wright', roles: ['dmt'], directorate: 'Children and Families' }));
    expect(summary.simulatedClock.note).toMatch(/simulated clock/);
    expect(byStream(seeded.events, 'person-').size).toBe(19);
    expect(byStream(seeded.events, 'kpi-').size).toBe(37);
  });

  it('closes the five earlier cycles with nothing outstanding and leaves the current one open', async () => {
    const executor = new EventSourcedCommandExecutor(seeded.store);
    for (const cycleId of HISTORY) {
      const { state } = await executor.load(cycleStreamId(cycleId), cycleDecider);
      expect(state).toMatchObject({ status: 'closed', cycle: { outstandingReturnIds: [] } });
    }
    expect((await executor.load(cycleStreamId(CURRENT), cycleDecider)).state.status).toBe('open');
  });

  it('counts every return once, by state', () => {
    const returns = byStream(seeded.events, 'return-');
    const total = Object.values(seeded.summary.returnsByState).reduce((sum, count) => sum + count, 0);
    expect(total).toBe(returns.size);
    // 31 quarterly and monthly KPIs every quarter (HSG-07 replacing HSG-05 from 2026/27), plus in
    // Q2 the annual recycling rate and two half-year figures, in Q4 two annual and two half-year.
    expect(returns.size).toBe(31 + 34 + 31 + 35 + 31 + 34);
  });

  it('has a return in every state in the current cycle', () => {
    const states = new Map<string, number>();
    for (const [streamId, events] of byStream(seeded.events, 'return-')) {
      if (!streamId.endsWith('2026-27-Q2')) continue;
      const state = fold(returnDecider, events as unknown as ReturnEvent[]);
      if (state.status === 'not_requested') throw new Error(`${streamId} was never requested`);
      const key = state.status !== 'approved' && state.escalationLevel !== 'none' ? `escalated_to_${state.escalationLevel}` : state.status;
      states.set(key, (states.get(key) ?? 0) + 1);
    }
    for (const state of ['requested', 'submitted', 'challenged', 'resubmitted', 'approved', 'marked_not_available', 'escalated_to_dmt', 'escalated_to_clt']) {
      expect({ state, present: (states.get(state) ?? 0) > 0 }).toEqual({ state, present: true });
    }
    expect(seeded.summary.returnsByState['requested']).toBe(states.get('requested'));
  });

  it('leaves some requested returns overdue and one with a due date still to come', () => {
    const dueDates = [...byStream(seeded.events, 'return-')]
      .filter(([streamId]) => streamId.endsWith('2026-27-Q2'))
      .map(([, events]) => fold(returnDecider, events as unknown as ReturnEvent[]))
      .filter((state): state is Exclude<ReturnState, { status: 'not_requested' }> => state.status === 'requested' && state.escalationLevel === 'none')
      .map((state) => state.dueDate);
    expect(dueDates.some((date) => date < '2026-11-22')).toBe(true);
    expect(dueDates.some((date) => date > '2026-11-22')).toBe(true);
  });

  it('never has a figure approved by the person who submitted it, and always by the KPI directorate DMT', () => {
    const people = new Map(DEMO_PEOPLE.map((person) => [person.personId, person]));
    let approvals = 0;
    for (const events of byStream(seeded.events, 'return-').values()) {
      let state: ReturnState = returnDecider.initialState;
      for (const event of events as unknown as ReturnEvent[]) {
        if (event.type === 'ReturnApproved' && state.status !== 'not_requested') {
          approvals += 1;
          expect(event.data.approvedBy).not.toBe(state.submittedBy);
          const approver = people.get(event.data.approvedBy);
          expect(approver?.roles).toContain('dmt');
          expect(approver?.directorate).toBe(state.request.kpi.directorate);
        }
        state = returnDecider.evolve(state, event);
      }
    }
    expect(approvals).toBeGreaterThan(150);
  });

  it('restates one approved figure with a reason and approves it again', () => {
    const restated = [...byStream(seeded.events, 'return-').values()].filter((events) => events.some((event) => event.type === 'ReturnRestated'));
    expect(restated).toHaveLength(1);
    const types = restated[0]!.map((event) => event.type);
    expect(types.slice(types.indexOf('ReturnRestated'))).toEqual(['ReturnRestated', 'ReturnApproved']);
    expect(restated[0]!.find((event) => event.type === 'ReturnRestated')?.data).toMatchObject({ previousValue: '344', value: '347' });
  });

  it('keeps a register with every kind of policy and label, targets for two years, an amendment under QA and a retirement', () => {
    const kpiEvents = seeded.events.filter((event) => event.streamId.startsWith('kpi-'));
    const policies = kpiEvents.filter((event) => event.type === 'KpiTargetPolicySet').map((event) => event.data as KpiTargetPolicySetData);
    expect(new Set(policies.map((policy) => policy.policy.kind))).toEqual(new Set(['thresholds', 'tolerance', 'met_not_met', 'direction', 'tracker']));
    expect(new Set(policies.map((policy) => policy.financialYear))).toEqual(new Set(['2024/25', '2025/26', '2026/27']));
    const defined = kpiEvents.filter((event) => event.type === 'KpiDefined').map((event) => event.data as KpiDefinedData);
    expect(new Set(defined.map((kpi) => kpi.labels))).toEqual(new Set(['green_amber_red', 'on_track_monitor_action']));
    expect(new Set(defined.map((kpi) => kpi.frequency))).toEqual(new Set(['monthly', 'quarterly', 'six_monthly', 'annual']));
    const amended = kpiEvents.filter((event) => event.type === 'KpiDefinitionAmended').map((event) => event.data as KpiDefinitionAmendedData);
    expect(amended).toEqual([expect.objectContaining({ underQualityAssuranceUntil: '2026/27-Q1' })]);
    expect(kpiEvents.filter((event) => event.type === 'KpiRetired')).toHaveLength(1);
  });

  it('records the history on a simulated clock, in order, ending before now', () => {
    const instants = seeded.events.map((event) => event.metadata.recordedAt);
    expect(instants[0]! < '2025-04-01').toBe(true);
    expect(instants[instants.length - 1]! < NOW.toISOString()).toBe(true);
    expect(instants.every((instant, index) => index === 0 || instants[index - 1]! <= instant)).toBe(true);
    expect(seeded.summary.simulatedClock.to).toBe(instants[instants.length - 1]);
  });

  it('refuses to load into a store that is not empty, and writes nothing', async () => {
    const before = seeded.events.length;
    await expect(
      seedDemoCouncil({ executor: new EventSourcedCommandExecutor(seeded.store), store: seeded.store, now: NOW }),
    ).rejects.toThrow(DemoStoreNotEmptyError);
    expect((await readEverything(seeded.store)).length).toBe(before);
  });

  it('loads the same history into a second store given the same now', async () => {
    const second = await seedInto(directory, 'second.sqlite');
    try {
      const shape = (events: readonly RecordedEvent[]) =>
        events.map((event) => ({ streamId: event.streamId, revision: event.revision, type: event.type, data: event.data, at: event.metadata.recordedAt }));
      expect(shape(second.events)).toEqual(shape(seeded.events));
      expect(second.summary).toEqual(seeded.summary);
    } finally {
      await second.store.close();
    }
  }, 180_000);
});
