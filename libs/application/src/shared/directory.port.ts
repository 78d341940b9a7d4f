import type { AudienceMember, RegisterFacts } from '@quarterly/domain';

/**
 * The people directory as use cases need it: who holds which role in which directorate, and
 * who is active. The API reads the `people` read model (waiting for its own writes); the
 * reminder worker a cached copy of it; the demo loader the people it registered.
 */
export abstract class PeopleDirectory {
  /** Everyone in the directory, deactivated people included (marked inactive), by person id. */
  abstract everyone(): Promise<ReadonlyMap<string, AudienceMember>>;
  /** Who holds this sign-in id (deactivated people included), if anyone: a sign-in id names one person. */
  abstract holderOfSignInId(signInId: string): Promise<string | undefined>;
}

/** The KPI register as use cases read it. */
export abstract class KpiRegister {
  /** The ids in the register, retired KPIs included: what opening a cycle reads. */
  abstract allKpiIds(): Promise<string[]>;
  /** Every KPI id (retired included) and directorate: what the register's rules across streams need. */
  abstract facts(): Promise<RegisterFacts>;
}
