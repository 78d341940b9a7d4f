import type { AudienceMember, RegisterFacts } from '@quarterly/domain';
import type { QuarterlyEngine } from '@quarterly/platform/engine/quarterly-engine';
import { findPersonIdBySignInId, listKpis, listPeople, readRegisterFacts, type ReadModelDatabase } from '@quarterly/read-models';
import { KpiRegister, PeopleDirectory } from '../shared/directory.port';

/** Resolves once the read models include what must be seen first; rejects if they cannot catch up in time. */
export type CatchUp = () => Promise<void>;

const NO_WAIT: CatchUp = async () => undefined;

/**
 * Waits until the engine's projections include this instance's own writes (a person registered
 * or a KPI defined a moment ago), up to `timeoutMs`.
 */
export function ownWritesOf(engine: Pick<QuarterlyEngine, 'executor' | 'waitForProjections'>, timeoutMs = 3_000, projections?: readonly string[]): CatchUp {
  return async () => {
    const written = engine.executor.lastAppendedPosition;
    if (written !== undefined) await engine.waitForProjections(written, timeoutMs, projections);
  };
}

/**
 * The register's catch-up: its own projection only, so a KPI can be defined while another
 * projection (the status board, the history) is held back or rebuilding.
 */
export const KPI_REGISTER_PROJECTIONS: readonly string[] = ['kpi-register'];

/**
 * The people directory from the `people` read model, after `catchUp`. Best effort: a directory
 * that still lags after the wait is read as it stands, since who is told of an escalation is not
 * worth refusing it for.
 */
export class ProjectedPeopleDirectory extends PeopleDirectory {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly catchUp: CatchUp = NO_WAIT,
  ) {
    super();
  }

  async everyone(): Promise<ReadonlyMap<string, AudienceMember>> {
    await this.catchUp().catch(() => undefined);
    const people = await listPeople(this.readModels.db, { includeInactive: true });
    return new Map(
      people.map((p) => [p.personId, { personId: p.personId, roles: p.roles, active: p.active, ...(p.directorate ? { directorate: p.directorate } : {}) }]),
    );
  }

  /**
   * Unlike {@link everyone}, not best effort: a sign-in id given a moment ago must be seen, so a
   * directory that cannot catch up refuses the command (503, nothing written).
   */
  async holderOfSignInId(signInId: string): Promise<string | undefined> {
    await this.catchUp();
    return findPersonIdBySignInId(this.readModels.db, signInId);
  }
}

/**
 * The KPI register's ids from the `kpis` read model, after `catchUp`. When the read models cannot
 * catch up in time the command is refused (503, nothing written): a cycle opened on a partial
 * register would silently leave KPIs out.
 */
export class ProjectedKpiRegister extends KpiRegister {
  constructor(
    private readonly readModels: ReadModelDatabase,
    private readonly catchUp: CatchUp = NO_WAIT,
  ) {
    super();
  }

  async allKpiIds(): Promise<string[]> {
    await this.catchUp();
    return (await listKpis(this.readModels.db, { includeRetired: true })).map((kpi) => kpi.kpiId);
  }

  async facts(about: { readonly kpiId?: string } = {}): Promise<RegisterFacts> {
    await this.catchUp();
    return readRegisterFacts(this.readModels.db, about);
  }
}
