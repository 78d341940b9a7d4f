import {
  assertDirectorateSpelling,
  assertKnownDirectorate,
  assertNoKpiIdClash,
  type KpiCommand,
  type PersonCommand,
} from '@quarterly/domain';
import type { KpiRegister } from './directory.port';

/**
 * The rules a KPI or person command must keep beyond its own stream (KPI ids unique regardless of
 * case, a directorate written one way, a person's directorate one the register holds), checked
 * before the command is decided with the register's facts (the domain's pure rules). The API's
 * register is the read model once it holds this instance's own writes: another instance's write
 * in the same instant can slip past, as with any read-model check. The register import and
 * `add-person` read the store itself instead (`loadRegisterSnapshot`).
 *
 * Throws the domain's refusal (`KpiIdClashError` 409, `ValidationError` 400) or returns.
 */
export async function checkRegisterRules(register: KpiRegister, command: KpiCommand | PersonCommand): Promise<void> {
  const directorate = directorateOf(command);
  if (command.type !== 'DefineKpi' && directorate === undefined) return;
  const facts = await register.facts(command.type === 'DefineKpi' ? { kpiId: command.kpiId } : {});
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

function directorateOf(command: KpiCommand | PersonCommand): string | undefined {
  const data = command.data as { directorate?: unknown; changes?: { directorate?: unknown } } | undefined;
  const value = command.type === 'AmendKpiDefinition' ? data?.changes?.directorate : data?.directorate;
  // A malformed value is the decider's to refuse, naming the field.
  return typeof value === 'string' ? value : undefined;
}
