/** What the use cases read about the directory and the register while the demo story is loaded. */
import { KpiRegister, PeopleDirectory } from '@quarterly/application';
import { personDecider, personStreamId, type AudienceMember, type RegisterFacts } from '@quarterly/domain';
import type { EventSourcedCommandExecutor } from '@quarterly/platform';
import { DEMO_KPIS } from './demo-kpis';
import { DEMO_PEOPLE } from './demo-people';

/**
 * The demo's people as their streams stand at this point of the story (the demo loads before any
 * projection runs, so there is no read model to ask): someone not registered yet is not told of
 * an escalation.
 */
export class DemoPeopleDirectory extends PeopleDirectory {
  constructor(private readonly executor: EventSourcedCommandExecutor) {
    super();
  }

  async everyone(): Promise<ReadonlyMap<string, AudienceMember>> {
    const people = new Map<string, AudienceMember>();
    for (const { personId } of DEMO_PEOPLE) {
      const { state } = await this.executor.load(personStreamId(personId), personDecider);
      if (state.status === 'not_registered') continue;
      const { roles, directorate } = state.person;
      people.set(personId, { personId, roles, active: state.status === 'active', ...(directorate ? { directorate } : {}) });
    }
    return people;
  }

  async holderOfSignInId(signInId: string): Promise<string | undefined> {
    for (const { personId } of DEMO_PEOPLE) {
      const { state } = await this.executor.load(personStreamId(personId), personDecider);
      if (state.status !== 'not_registered' && state.person.signInId === signInId) return personId;
    }
    return undefined;
  }
}

/** The demo's register: the KPIs its story defines (a cycle reads each one's stream for whether it is live yet). */
export class DemoKpiRegister extends KpiRegister {
  async allKpiIds(): Promise<string[]> {
    return DEMO_KPIS.map((kpi) => kpi.kpiId);
  }

  async facts(): Promise<RegisterFacts> {
    return { kpiIds: DEMO_KPIS.map((kpi) => kpi.kpiId), directorates: [...new Set(DEMO_KPIS.map((kpi) => kpi.description.directorate))] };
  }
}
