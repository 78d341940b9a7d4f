import type { AudienceMember, RegisterFacts } from '@quarterly/domain';

/**
 * The people directory as use cases need it: who holds which role in which directorate, and
 * who is active. The API reads the `people` read model (waiting for its own writes); the
 * reminder worker a cached copy of it; the demo loader the people it registered.
 */
export abstract class PeopleDirectory {
  /**
   * Everyone in the directory, deactivated people included (marked inactive), by person id. A
   * directory that keeps a copy reads it again when one of `including` (the people the caller is
   * about to address) is not in it: someone registered a moment ago is found.
   */
  abstract everyone(including?: readonly string[]): Promise<ReadonlyMap<string, AudienceMember>>;
  /** Who holds this sign-in id (deactivated people included), if anyone: a sign-in id names one person. */
  abstract holderOfSignInId(signInId: string): Promise<string | undefined>;
}

/** The KPI register as use cases read it. */
export abstract class KpiRegister {
  /** The ids in the register, retired KPIs included: what opening a cycle reads. */
  abstract allKpiIds(): Promise<string[]>;
  /**
   * What the register's rules across streams need: every directorate (retired KPIs included),
   * and the KPI ids (retired included) — with `about.kpiId`, only those equal to it regardless of
   * case, which is all the id rule reads (a register of thousands is not read for one command).
   */
  abstract facts(about?: { readonly kpiId?: string }): Promise<RegisterFacts>;
}
