import type { AudienceMember } from '@quarterly/domain';

/**
 * The people directory as use cases need it: who holds which role in which directorate, and
 * who is active. The API reads the `people` read model (waiting for its own writes); the
 * reminder worker a cached copy of it; the demo loader the people it registered.
 */
export abstract class PeopleDirectory {
  /** Everyone in the directory, deactivated people included (marked inactive), by person id. */
  abstract everyone(): Promise<ReadonlyMap<string, AudienceMember>>;
}

/** The ids in the KPI register, retired KPIs included: what opening a cycle reads. */
export abstract class KpiRegister {
  abstract allKpiIds(): Promise<string[]>;
}
