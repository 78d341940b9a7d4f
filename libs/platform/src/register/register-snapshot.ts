import { kpiDecider, personDecider, type KpiEvent, type KpiState, type PersonEvent, type PersonState } from '@quarterly/domain';
import type { EventStore, RecordedEvent } from '@quarterly/event-store';
import { eventCodec } from '@quarterly/event-codec';

/** Every KPI and person as their own streams say now, with the revision each was read at. */
export interface RegisterSnapshot {
  readonly kpis: ReadonlyMap<string, { readonly state: KpiState; readonly revision: bigint }>;
  readonly people: ReadonlyMap<string, { readonly state: PersonState; readonly revision: bigint }>;
  /** The global position the snapshot was read up to (undefined for an empty store). */
  readonly position: bigint | undefined;
}

const PAGE = 5_000;

/**
 * Reads the register and the directory from the event store itself, not from the read models:
 * for operator commands and imports that must decide on the truth even when no projection is
 * running (a fresh deployment, the command line). It reads the whole global order once, so it
 * costs time in proportion to the store (about a second per 100,000 events here).
 */
export async function loadRegisterSnapshot(store: EventStore): Promise<RegisterSnapshot> {
  const kpiEvents = new Map<string, RecordedEvent[]>();
  const personEvents = new Map<string, RecordedEvent[]>();
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ ...(after === undefined ? {} : { after }), limit: PAGE });
    for (const event of page) {
      const target = event.streamId.startsWith('kpi-') ? kpiEvents : event.streamId.startsWith('person-') ? personEvents : undefined;
      if (!target) continue;
      const list = target.get(event.streamId) ?? [];
      list.push(event);
      target.set(event.streamId, list);
    }
    if (page.length > 0) after = page[page.length - 1]!.position;
    if (page.length < PAGE) break;
  }
  const kpis = new Map<string, { state: KpiState; revision: bigint }>();
  for (const events of kpiEvents.values()) {
    const state = eventCodec.decodeStream<KpiEvent>(events).reduce((s, e) => kpiDecider.evolve(s, e), kpiDecider.initialState);
    if (state.status !== 'not_defined') kpis.set(state.kpi.kpiId, { state, revision: events[events.length - 1]!.revision });
  }
  const people = new Map<string, { state: PersonState; revision: bigint }>();
  for (const events of personEvents.values()) {
    const state = eventCodec.decodeStream<PersonEvent>(events).reduce((s, e) => personDecider.evolve(s, e), personDecider.initialState);
    if (state.status !== 'not_registered') people.set(state.person.personId, { state, revision: events[events.length - 1]!.revision });
  }
  return { kpis, people, position: after };
}

/** Active people holding the performance-team role. */
export function performanceTeamOf(snapshot: RegisterSnapshot): string[] {
  return [...snapshot.people.values()]
    .filter(({ state }) => state.status === 'active' && state.person.roles.includes('performance-team'))
    .map(({ state }) => (state.status === 'not_registered' ? '' : state.person.personId))
    .sort();
}

/** Who holds this sign-in id in the snapshot's directory (deactivated people included), if anyone. */
export function holderOfSignInId(snapshot: RegisterSnapshot, signInId: string): string | undefined {
  for (const { state } of snapshot.people.values()) {
    if (state.status !== 'not_registered' && state.person.signInId === signInId) return state.person.personId;
  }
  return undefined;
}
