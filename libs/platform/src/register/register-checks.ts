import {
  assertDirectorateSpelling,
  assertKnownDirectorate,
  assertNoKpiIdClash,
  type KpiCommand,
  type PersonCommand,
  type RegisterFacts,
} from '@quarterly/domain';
import { listKpis } from '@quarterly/read-models';
import type { QuarterlyEngine } from '../engine/quarterly-engine';
import type { RegisterSnapshot } from './register-snapshot';

/**
 * The checks a KPI or person command needs beyond its own stream (KPI ids unique regardless of
 * case, directorates the register holds), made before the command is decided. The facts come
 * from the register read model once it holds this instance's own writes; another instance's
 * write made in the same instant can slip past, as with any read-model check (the import reads
 * the store itself instead: {@link registerFactsOf}).
 */
export class RegisterChecks {
  constructor(private readonly engine: QuarterlyEngine) {}

  async facts(): Promise<RegisterFacts> {
    const position = this.engine.executor.lastAppendedPosition;
    if (position !== undefined) await this.engine.waitForProjections(position);
    const kpis = await listKpis(this.engine.readModels.db, { includeRetired: true });
    return { kpiIds: kpis.map((kpi) => kpi.kpiId), directorates: [...new Set(kpis.map((kpi) => kpi.directorate))] };
  }

  /** Throws the domain's refusal (KpiIdClashError 409, ValidationError 400) or returns. */
  async check(command: KpiCommand | PersonCommand): Promise<void> {
    const directorate = directorateOf(command);
    if (command.type !== 'DefineKpi' && directorate === undefined) return;
    const facts = await this.facts();
    switch (command.type) {
      case 'DefineKpi':
        assertNoKpiIdClash(command.kpiId, facts);
        if (directorate !== undefined) assertDirectorateSpelling(directorate, facts);
        return;
      case 'AmendKpiDefinition':
        assertDirectorateSpelling(directorate!, facts, 'changes.directorate');
        return;
      case 'RegisterPerson':
      case 'ChangePersonDetails':
        assertKnownDirectorate(directorate!, facts);
        return;
      default:
        return;
    }
  }
}

function directorateOf(command: KpiCommand | PersonCommand): string | undefined {
  const data = command.data as { directorate?: unknown; changes?: { directorate?: unknown } } | undefined;
  const value = command.type === 'AmendKpiDefinition' ? data?.changes?.directorate : data?.directorate;
  // A malformed value is the decider's to refuse, naming the field.
  return typeof value === 'string' ? value : undefined;
}

/** The same facts from a snapshot read from the store itself. */
export function registerFactsOf(snapshot: RegisterSnapshot): RegisterFacts {
  const kpis = [...snapshot.kpis.values()].flatMap(({ state }) => (state.status === 'not_defined' ? [] : [state.kpi]));
  return { kpiIds: kpis.map((kpi) => kpi.kpiId), directorates: [...new Set(kpis.map((kpi) => kpi.directorate))] };
}
