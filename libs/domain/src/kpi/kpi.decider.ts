/** The KPI register: one decider per KPI stream (`kpi-<kpiId>`). */
import { CommandContext, hasAnyRole, Role } from '../shared/command-context';
import type { Decider } from '../shared/decider';
import {
  AlreadyExistsError,
  ForbiddenActionError,
  KpiNotFoundError,
  KpiRetiredError,
  ValidationError,
} from '../shared/domain-error';
import { comparePeriodIds, FinancialYear, parseFinancialYear, parsePeriodId, PeriodId } from '../shared/period';
import type { RatingPolicy } from '../shared/rating.types';
import { sameJsonValue } from '../shared/same-json-value';
import { assertKpiId } from '../shared/stream-ids';
import { assertKpiIdNotReserved } from './register-rules';
import { optionalText, requireObject, requireText } from '../shared/validation';
import type { KpiDescription, KpiSnapshot } from './kpi-attributes';
import type { KpiDefinedData, KpiEvent, KpiTargetPolicySetData } from './kpi.events';
import type { ReturnKpiSnapshot } from '../return/return.events';
import { requirePersonId, requirePersonList, validateKpiDescription, validateRatingPolicy } from './kpi-validation';
import { valueRangeOf } from './value-range';
import { KpiYearTargets, LastYearBasis, RatedFigure, TargetPeriod, validateRatingModel } from './kpi-targets';

// ---- commands -------------------------------------------------------------------------------

/**
 * Every KPI command names its KPI (`kpiId`, which gives the stream `kpi-<kpiId>`) and carries
 * the command context.
 */
export type DefineKpi = {
  type: 'DefineKpi';
  kpiId: string;
  data: Omit<KpiDefinedData, 'kpiId'>;
  context: CommandContext;
};
export type AmendKpiDefinition = {
  type: 'AmendKpiDefinition';
  kpiId: string;
  data: { changes: Partial<KpiDescription>; reason: string; underQualityAssuranceUntil?: PeriodId };
  context: CommandContext;
};
export type ChangeKpiOwnership = {
  type: 'ChangeKpiOwnership';
  kpiId: string;
  data: { owner: string; keyContacts: readonly string[]; reason?: string };
  context: CommandContext;
};
export type SetKpiTargetPolicy = {
  type: 'SetKpiTargetPolicy';
  kpiId: string;
  data: {
    financialYear: FinancialYear;
    policy: RatingPolicy;
    /** One period's policy (a quarterly or interim profile); absent for the whole year's. */
    period?: TargetPeriod;
    ratedFigure?: RatedFigure;
    lastYearBasis?: LastYearBasis;
    reason?: string;
  };
  context: CommandContext;
};
export type RetireKpi = {
  type: 'RetireKpi';
  kpiId: string;
  data: { reason: string; effectiveFrom: PeriodId };
  context: CommandContext;
};

export type KpiCommand = DefineKpi | AmendKpiDefinition | ChangeKpiOwnership | SetKpiTargetPolicy | RetireKpi;

// ---- state ----------------------------------------------------------------------------------

export interface KpiRecord extends KpiDescription {
  readonly kpiId: string;
  readonly owner: string;
  readonly keyContacts: readonly string[];
  /** The whole year's target policy per financial year. */
  readonly policies: Readonly<Record<FinancialYear, RatingPolicy>>;
  /** Everything stated per financial year: the year's policy, period policies, rated figure, basis. */
  readonly targets: Readonly<Record<FinancialYear, KpiYearTargets>>;
  /** Figures up to and including this quarter have no status; null when not under QA. */
  readonly underQualityAssuranceUntil: PeriodId | null;
  /** The first quarter the KPI no longer reports; null while live. */
  readonly retiredFrom: PeriodId | null;
}

export type KpiState =
  | { readonly status: 'not_defined' }
  | { readonly status: 'active' | 'retired'; readonly kpi: KpiRecord };

/** Only the central performance team keeps the register. */
export const KPI_REGISTER_ROLES: readonly Role[] = ['performance-team'];

// ---- queries on the state, for handlers -----------------------------------------------------

/** The target policy for a financial year, or null when none was set. */
export function targetPolicyFor(state: KpiState, financialYear: FinancialYear): RatingPolicy | null {
  return state.status === 'not_defined' ? null : (state.kpi.policies[financialYear] ?? null);
}

/** A year's targets (policy, period profile, rated figure, basis), or null when none was set. */
export function yearTargetsOf(state: KpiState, financialYear: FinancialYear): KpiYearTargets | null {
  return state.status === 'not_defined' ? null : (state.kpi.targets[financialYear] ?? null);
}

/** What a return copies about its KPI when it is requested (kept with the return for ever). */
export function returnKpiSnapshotOf(kpi: KpiRecord): ReturnKpiSnapshot {
  return {
    title: kpi.title,
    directorate: kpi.directorate,
    owner: kpi.owner,
    keyContacts: kpi.keyContacts,
    unit: kpi.unit,
    decimalPlaces: kpi.decimalPlaces,
    polarity: kpi.polarity,
    frequency: kpi.frequency,
    measureType: kpi.measureType,
    labels: kpi.labels,
    ...(kpi.validRange === undefined ? {} : { validRange: kpi.validRange }),
    ...(kpi.unitLabel === undefined ? {} : { unitLabel: kpi.unitLabel }),
  };
}

/** What the cycle and return streams need to know about the KPI. */
export function kpiSnapshotOf(state: KpiState): KpiSnapshot | null {
  if (state.status === 'not_defined') return null;
  const { kpi } = state;
  return {
    kpiId: kpi.kpiId,
    title: kpi.title,
    directorate: kpi.directorate,
    owner: kpi.owner,
    keyContacts: kpi.keyContacts,
    unit: kpi.unit,
    decimalPlaces: kpi.decimalPlaces,
    polarity: kpi.polarity,
    frequency: kpi.frequency,
    ...(kpi.annualDueQuarter === undefined ? {} : { annualDueQuarter: kpi.annualDueQuarter }),
    measureType: kpi.measureType,
    labels: kpi.labels,
    ...(kpi.validRange === undefined ? {} : { validRange: kpi.validRange }),
    retiredFrom: kpi.retiredFrom,
  };
}

// ---- evolve ---------------------------------------------------------------------------------

function evolve(state: KpiState, event: KpiEvent): KpiState {
  if (event.type === 'KpiDefined') {
    const { reason: _reason, ...defined } = event.data;
    return { status: 'active', kpi: { ...defined, policies: {}, targets: {}, underQualityAssuranceUntil: null, retiredFrom: null } };
  }
  if (state.status === 'not_defined') return state;
  const { kpi } = state;
  switch (event.type) {
    case 'KpiDefinitionAmended':
      return {
        status: state.status,
        kpi: {
          ...withoutDueQuarterUnlessAnnual(kpi, event.data.changes.frequency),
          ...event.data.changes,
          underQualityAssuranceUntil: event.data.underQualityAssuranceUntil ?? kpi.underQualityAssuranceUntil,
        },
      };
    case 'KpiOwnershipChanged':
      return { status: state.status, kpi: { ...kpi, owner: event.data.owner, keyContacts: event.data.keyContacts } };
    case 'KpiTargetPolicySet': {
      const year = event.data.financialYear;
      const targets = withTargetSet(kpi.targets[year], event.data);
      return {
        status: state.status,
        kpi: { ...kpi, policies: { ...kpi.policies, [year]: targets.policy }, targets: { ...kpi.targets, [year]: targets } },
      };
    }
    case 'KpiRetired':
      return { status: 'retired', kpi: { ...kpi, retiredFrom: event.data.effectiveFrom } };
  }
}

/** A year's targets after one `KpiTargetPolicySet` (see its data's documentation). */
export function withTargetSet(current: KpiYearTargets | undefined, data: KpiTargetPolicySetData): KpiYearTargets {
  if (data.period === undefined) {
    return {
      policy: data.policy,
      periods: current?.periods ?? {},
      ...(data.ratedFigure === undefined ? {} : { ratedFigure: data.ratedFigure }),
      ...(data.lastYearBasis === undefined ? {} : { lastYearBasis: data.lastYearBasis }),
    };
  }
  // A period policy arrives after its year's (the decider insists); `current` is then defined.
  const base: KpiYearTargets = current ?? { policy: data.policy, periods: {} };
  const ratedFigure = data.ratedFigure ?? base.ratedFigure;
  const lastYearBasis = data.lastYearBasis ?? base.lastYearBasis;
  return {
    policy: base.policy,
    periods: { ...base.periods, [data.period]: data.policy },
    ...(ratedFigure === undefined ? {} : { ratedFigure }),
    ...(lastYearBasis === undefined ? {} : { lastYearBasis }),
  };
}

function withoutDueQuarterUnlessAnnual(kpi: KpiRecord, frequency: KpiDescription['frequency'] | undefined): KpiRecord {
  if (frequency === undefined || frequency === 'annual') return kpi;
  const { annualDueQuarter: _dropped, ...rest } = kpi;
  return rest;
}

// ---- decide ---------------------------------------------------------------------------------

function decide(command: KpiCommand, state: KpiState): KpiEvent[] {
  if (!hasAnyRole(command.context, KPI_REGISTER_ROLES)) {
    throw new ForbiddenActionError(command.type, command.context.actor, KPI_REGISTER_ROLES);
  }
  switch (command.type) {
    case 'DefineKpi':
      return defineKpi(command, state);
    case 'AmendKpiDefinition':
      return amendKpiDefinition(command, existing(command, state));
    case 'ChangeKpiOwnership':
      return changeKpiOwnership(command, existing(command, state));
    case 'SetKpiTargetPolicy':
      return setKpiTargetPolicy(command, existing(command, state));
    case 'RetireKpi':
      existing(command, state);
      return retireKpi(command);
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled KPI command ${JSON.stringify(unhandled)}`);
    }
  }
}

/** The live KPI a command applies to; retired KPIs refuse every change. */
function existing(command: KpiCommand, state: KpiState): KpiRecord {
  if (state.status === 'not_defined') throw new KpiNotFoundError(command.kpiId);
  if (state.status === 'retired') throw new KpiRetiredError(state.kpi.kpiId, state.kpi.retiredFrom ?? '?');
  return state.kpi;
}

function defineKpi({ kpiId: rawKpiId, data }: DefineKpi, state: KpiState): KpiEvent[] {
  requireObject(data, 'data');
  const kpiId = assertKpiId(rawKpiId);
  assertKpiIdNotReserved(kpiId);
  if (state.status !== 'not_defined') throw new AlreadyExistsError('KPI', kpiId);
  const description = validateKpiDescription(data);
  const owner = requirePersonId(data.owner, 'owner');
  const keyContacts = requirePersonList(data.keyContacts, 'keyContacts');
  const reason = optionalText(data.reason, 'reason');
  return [{ type: 'KpiDefined', data: { kpiId, ...description, owner, keyContacts, ...(reason === undefined ? {} : { reason }) } }];
}

function amendKpiDefinition({ data }: AmendKpiDefinition, kpi: KpiRecord): KpiEvent[] {
  const reason = requireText(data.reason, 'reason');
  const requested = requireObject(data.changes, 'changes');
  const current = descriptionOf(kpi);
  // Validate the description as it would be, so cross-field rules (annualDueQuarter only for
  // annual KPIs) hold after the change, then keep only the fields that really change.
  const proposed: Record<string, unknown> = { ...current, ...requested };
  // A KPI that stops being annual loses its due quarter with it.
  if (proposed.frequency !== 'annual') delete proposed.annualDueQuarter;
  const merged = validateKpiDescription(proposed, 'changes.');
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(requested) as (keyof KpiDescription)[]) {
    if (!(key in merged)) continue;
    if (!sameJsonValue(merged[key], current[key])) changes[key] = merged[key];
  }
  if (Object.keys(changes).length === 0) throw new ValidationError('changes', 'nothing would change');
  let underQualityAssuranceUntil: PeriodId | undefined;
  if (data.underQualityAssuranceUntil !== undefined) {
    parsePeriodId(data.underQualityAssuranceUntil, 'underQualityAssuranceUntil');
    underQualityAssuranceUntil = data.underQualityAssuranceUntil;
  }
  return [
    {
      type: 'KpiDefinitionAmended',
      data: {
        changes: changes as Partial<KpiDescription>,
        reason,
        ...(underQualityAssuranceUntil === undefined ? {} : { underQualityAssuranceUntil }),
      },
    },
  ];
}

function changeKpiOwnership({ data }: ChangeKpiOwnership, kpi: KpiRecord): KpiEvent[] {
  const owner = requirePersonId(data.owner, 'owner');
  const keyContacts = requirePersonList(data.keyContacts, 'keyContacts');
  const reason = optionalText(data.reason, 'reason');
  if (owner === kpi.owner && sameJsonValue(keyContacts, kpi.keyContacts)) {
    throw new ValidationError('owner', 'owner and key contacts are unchanged');
  }
  return [{ type: 'KpiOwnershipChanged', data: { owner, keyContacts, ...(reason === undefined ? {} : { reason }) } }];
}

function setKpiTargetPolicy({ data }: SetKpiTargetPolicy, kpi: KpiRecord): KpiEvent[] {
  requireObject(data, 'data');
  parseFinancialYear(data.financialYear, 'financialYear');
  const policy = validateRatingPolicy(data.policy, kpi.polarity, 'policy', valueRangeOf(kpi));
  const model = validateRatingModel(data, kpi.measureType);
  const current = kpi.targets[data.financialYear];
  if (model.period !== undefined) {
    if (kpi.frequency === 'annual') throw new ValidationError('period', 'an annual KPI has one figure a year: set the whole year\'s policy');
    if (kpi.frequency === 'six_monthly' && model.period.startsWith('Q') && model.period !== 'Q2' && model.period !== 'Q4') {
      throw new ValidationError('period', 'a six-monthly KPI reports H1 (at Q2) and H2 (at Q4) only');
    }
    if (current === undefined) {
      throw new ValidationError('period', `set the whole year's policy for ${data.financialYear} before a period's`);
    }
  }
  const reason = optionalText(data.reason, 'reason');
  const event: KpiTargetPolicySetData = { financialYear: data.financialYear, policy, ...model, ...(reason === undefined ? {} : { reason }) };
  // Setting the same targets again (a retried request, a re-imported register) records nothing.
  if (current !== undefined && sameTargets(withTargetSet(current, event), current)) return [];
  return [{ type: 'KpiTargetPolicySet', data: event }];
}

/** Whatever the key order: stored events are read back with sorted keys. */
function sameTargets(a: KpiYearTargets, b: KpiYearTargets): boolean {
  const comparable = (t: KpiYearTargets) => [t.policy, TARGET_PERIOD_ORDER.map((p) => t.periods[p] ?? null), t.ratedFigure ?? null, t.lastYearBasis ?? null];
  return sameJsonValue(comparable(a), comparable(b));
}
const TARGET_PERIOD_ORDER: readonly TargetPeriod[] = ['Q1', 'Q2', 'Q3', 'Q4', 'H1', 'H2'];

function retireKpi({ data }: RetireKpi): KpiEvent[] {
  const reason = requireText(data.reason, 'reason');
  parsePeriodId(data.effectiveFrom, 'effectiveFrom');
  return [{ type: 'KpiRetired', data: { reason, effectiveFrom: data.effectiveFrom } }];
}

function descriptionOf(kpi: KpiRecord): KpiDescription {
  const { kpiId: _kpiId, owner: _owner, keyContacts: _keyContacts, policies: _policies, targets: _targets, underQualityAssuranceUntil: _qa, retiredFrom: _retired, ...description } = kpi;
  return description;
}

/** Whether a figure for this quarter falls under quality assurance after a definition change. */
export function isUnderQualityAssurance(state: KpiState, periodId: PeriodId): boolean {
  if (state.status === 'not_defined' || state.kpi.underQualityAssuranceUntil === null) return false;
  return comparePeriodIds(periodId, state.kpi.underQualityAssuranceUntil) <= 0;
}

export const kpiDecider: Decider<KpiCommand, KpiEvent, KpiState> = {
  initialState: { status: 'not_defined' },
  evolve,
  decide,
};
