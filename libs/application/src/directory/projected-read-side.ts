import type { AudienceMember } from '@quarterly/domain';
import type { QuarterlyEngine } from '@quarterly/platform';
import { listKpis, listPeople } from '@quarterly/read-models';
import { KpiRegister, PeopleDirectory } from '../shared/directory.port';

/** How long a use case waits for the read models to include this instance's own writes. */
const OWN_WRITES_WAIT_MS = 3_000;

/**
 * The people directory from the `people` read model, once it includes what this instance wrote
 * (someone registered a moment ago is in it). Best effort: a directory that still lags after
 * the wait is read as it stands, since who is told of an escalation is not worth refusing it for.
 */
export class ProjectedPeopleDirectory extends PeopleDirectory {
  constructor(private readonly engine: QuarterlyEngine) {
    super();
  }

  async everyone(): Promise<ReadonlyMap<string, AudienceMember>> {
    const written = this.engine.executor.lastAppendedPosition;
    if (written !== undefined) await this.engine.waitForProjections(written, OWN_WRITES_WAIT_MS).catch(() => undefined);
    const people = await listPeople(this.engine.readModels.db, { includeInactive: true });
    return new Map(
      people.map((p) => [p.personId, { personId: p.personId, roles: p.roles, active: p.active, ...(p.directorate ? { directorate: p.directorate } : {}) }]),
    );
  }
}

/**
 * The KPI register's ids from the `kpis` read model, once it includes this instance's own writes
 * (a KPI defined a moment ago is in the cycle it opens). When the read models cannot catch up in
 * time the command is refused (503, nothing written), since a cycle opened on a partial register
 * would silently leave KPIs out.
 */
export class ProjectedKpiRegister extends KpiRegister {
  constructor(private readonly engine: QuarterlyEngine) {
    super();
  }

  async allKpiIds(): Promise<string[]> {
    const written = this.engine.executor.lastAppendedPosition;
    if (written !== undefined) await this.engine.waitForProjections(written);
    return (await listKpis(this.engine.readModels.db, { includeRetired: true })).map((kpi) => kpi.kpiId);
  }
}
