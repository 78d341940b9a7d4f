/** Reporting cycles: one decider per quarter stream (`cycle-<2024-25-Q2>`). */
import type { KpiSnapshot } from '../kpi/kpi-attributes';
import { CommandContext, hasAnyRole, Role } from '../shared/command-context';
import type { Decider } from '../shared/decider';
import {
  AlreadyExistsError,
  DeadlineNotLaterError,
  ForbiddenActionError,
  IllegalTransitionError,
  ValidationError,
} from '../shared/domain-error';
import {
  comparePeriodIds,
  formatFinancialYear,
  formatHalfYear,
  IsoDate,
  isIsoDate,
  monthsOfQuarter,
  parsePeriodId,
  PeriodId,
  Quarter,
  quarterEndDate,
} from '../shared/period';
import { returnIdOf } from '../shared/stream-ids';
import { requireObject, requireStringList, requireText } from '../shared/validation';
import type { CycleDeadline, CycleEvent, CycleImportedData, CycleReminderPolicy, CycleTimetable, RequestedReturn } from './cycle.events';

// ---- commands -------------------------------------------------------------------------------

/** Every cycle command names its quarter (`cycleId`, giving the stream `cycle-<2024-25-Q2>`). */
export type OpenCycle = {
  type: 'OpenCycle';
  cycleId: PeriodId;
  /**
   * The timetable, the live register at the time of opening (the handler reads the KPIs), and
   * the cycle's reminder policy, already checked by the reminder library (absent: its default).
   */
  data: { timetable: CycleTimetable; liveKpis: readonly KpiSnapshot[]; policy?: CycleReminderPolicy };
  context: CommandContext;
};
export type ExtendCycleDeadline = {
  type: 'ExtendCycleDeadline';
  cycleId: PeriodId;
  data: { deadline: CycleDeadline; to: IsoDate; reason: string };
  context: CommandContext;
};
export type CloseCycle = {
  type: 'CloseCycle';
  cycleId: PeriodId;
  /** The requested returns not yet approved, from the return-status read model. */
  data: { outstandingReturnIds: readonly string[] };
  context: CommandContext;
};

/**
 * Brings in a past quarter for a past-figures import. Accepted for a quarter never opened (the
 * first import into it) and for a quarter already imported (a later file adds figures to it; no
 * event). A quarter opened as a live cycle — open, or closed with real returns — is refused.
 */
export type ImportCycle = {
  type: 'ImportCycle';
  cycleId: PeriodId;
  data: { publicationDate: IsoDate; fileName: string; sha256: string };
  context: CommandContext;
};

export type CycleCommand = OpenCycle | ExtendCycleDeadline | CloseCycle | ImportCycle;

// ---- state ----------------------------------------------------------------------------------

export interface CycleRecord {
  readonly cycleId: PeriodId;
  readonly financialYear: string;
  readonly quarter: Quarter;
  readonly timetable: CycleTimetable;
  readonly requestedReturns: readonly RequestedReturn[];
  /** Set when the cycle closes. */
  readonly outstandingReturnIds: readonly string[];
}

export type CycleState =
  | { readonly status: 'not_opened' }
  | { readonly status: 'open' | 'closed'; readonly cycle: CycleRecord }
  | { readonly status: 'imported'; readonly imported: CycleImportedData };

/** Only the central performance team runs cycles. */
export const CYCLE_ROLES: readonly Role[] = ['performance-team'];

const TIMETABLE_ORDER: readonly (keyof CycleTimetable)[] = ['returnsDue', 'dmtReviewDeadline', 'cltDate', 'publicationDate'];

// ---- who is due -----------------------------------------------------------------------------

/**
 * The returns a quarter's cycle asks for, in KPI id order:
 * - monthly and quarterly KPIs every quarter (monthly ones also give the quarter's three months);
 * - six-monthly KPIs at Q2 (covering H1) and Q4 (covering H2);
 * - annual KPIs in their due quarter (default Q4). A year is complete only after Q4, so an annual
 *   figure collected in Q1–Q3 covers the previous financial year, and one collected in Q4 the
 *   current year;
 * - not KPIs retired from this quarter or earlier.
 */
export function returnsDueInQuarter(kpis: readonly KpiSnapshot[], periodId: PeriodId): RequestedReturn[] {
  const { financialYear, startYear, quarter } = parsePeriodId(periodId, 'cycleId');
  const due: RequestedReturn[] = [];
  for (const kpi of kpis) {
    if (kpi.retiredFrom !== null && comparePeriodIds(kpi.retiredFrom, periodId) <= 0) continue;
    const request = (periodCovered: string, expectedMonths: string[] = []): RequestedReturn => ({
      returnId: returnIdOf(kpi.kpiId, periodId),
      kpiId: kpi.kpiId,
      periodCovered,
      expectedMonths,
    });
    switch (kpi.frequency) {
      case 'monthly':
        due.push(request(periodId, monthsOfQuarter(periodId)));
        break;
      case 'quarterly':
        due.push(request(periodId));
        break;
      case 'six_monthly':
        if (quarter === 2) due.push(request(formatHalfYear(financialYear, 1)));
        if (quarter === 4) due.push(request(formatHalfYear(financialYear, 2)));
        break;
      case 'annual':
        if (quarter === (kpi.annualDueQuarter ?? 4)) {
          due.push(request(quarter === 4 ? financialYear : formatFinancialYear(startYear - 1)));
        }
        break;
    }
  }
  return due.sort((a, b) => (a.kpiId < b.kpiId ? -1 : a.kpiId > b.kpiId ? 1 : 0));
}

// ---- evolve ---------------------------------------------------------------------------------

function evolve(state: CycleState, event: CycleEvent): CycleState {
  switch (event.type) {
    case 'CycleOpened':
      return { status: 'open', cycle: { ...event.data, outstandingReturnIds: [] } };
    case 'CycleImported':
      return state.status === 'not_opened' ? { status: 'imported', imported: event.data } : state;
    case 'CycleDeadlineExtended':
      if (state.status !== 'open' && state.status !== 'closed') return state;
      return {
        status: state.status,
        cycle: { ...state.cycle, timetable: { ...state.cycle.timetable, [event.data.deadline]: event.data.to } },
      };
    case 'CycleClosed':
      if (state.status !== 'open' && state.status !== 'closed') return state;
      return { status: 'closed', cycle: { ...state.cycle, outstandingReturnIds: event.data.outstandingReturnIds } };
  }
}

// ---- decide ---------------------------------------------------------------------------------

function decide(command: CycleCommand, state: CycleState): CycleEvent[] {
  if (!hasAnyRole(command.context, CYCLE_ROLES)) {
    throw new ForbiddenActionError(command.type, command.context.actor, CYCLE_ROLES);
  }
  switch (command.type) {
    case 'OpenCycle':
      return openCycle(command, state);
    case 'ExtendCycleDeadline':
      return extendCycleDeadline(command, openCycleOf(command, state));
    case 'CloseCycle':
      return closeCycle(command, openCycleOf(command, state));
    case 'ImportCycle':
      return importCycle(command, state);
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled cycle command ${JSON.stringify(unhandled)}`);
    }
  }
}

function openCycleOf(command: CycleCommand, state: CycleState): CycleRecord {
  if (state.status !== 'open') throw new IllegalTransitionError(command.type, state.status);
  return state.cycle;
}

function openCycle({ cycleId, data }: OpenCycle, state: CycleState): CycleEvent[] {
  const { financialYear, quarter } = parsePeriodId(cycleId, 'cycleId');
  // A past quarter brought in by an import holds the council's published figures: never live.
  if (state.status === 'imported') throw new IllegalTransitionError('OpenCycle', 'imported');
  if (state.status !== 'not_opened') throw new AlreadyExistsError('cycle', cycleId);
  requireObject(data, 'data');
  const timetable = validateTimetable(data.timetable, cycleId);
  if (!Array.isArray(data.liveKpis)) throw new ValidationError('liveKpis', 'must be a list');
  const kpiIds = data.liveKpis.map((kpi) => kpi.kpiId);
  if (new Set(kpiIds).size !== kpiIds.length) throw new ValidationError('liveKpis', 'must not list a KPI twice');
  const requestedReturns = returnsDueInQuarter(data.liveKpis, cycleId);
  const policy = data.policy === undefined ? undefined : requireObject(data.policy, 'policy');
  return [
    {
      type: 'CycleOpened',
      data: { cycleId, financialYear, quarter, timetable, requestedReturns, ...(policy ? { policy: policy as CycleReminderPolicy } : {}) },
    },
  ];
}

function importCycle({ cycleId, data, context }: ImportCycle, state: CycleState): CycleEvent[] {
  const { financialYear, quarter } = parsePeriodId(cycleId, 'cycleId');
  if (state.status === 'imported') return [];
  // A live quarter (open, or closed with its returns) has real returns: figures are restated there.
  if (state.status !== 'not_opened') throw new IllegalTransitionError('ImportCycle', state.status);
  requireObject(data, 'data');
  if (!isIsoDate(data.publicationDate)) throw new ValidationError('publicationDate', 'must be a date YYYY-MM-DD');
  if (data.publicationDate > context.now.slice(0, 10)) throw new ValidationError('publicationDate', 'must not be in the future');
  const fileName = requireText(data.fileName, 'fileName', { maxLength: 200 });
  const sha256 = requireText(data.sha256, 'sha256', { maxLength: 64 });
  return [
    {
      type: 'CycleImported',
      data: { cycleId, financialYear, quarter, publicationDate: data.publicationDate, importedBy: context.actor, importedAt: context.now, fileName, sha256 },
    },
  ];
}

function validateTimetable(input: unknown, cycleId: PeriodId): CycleTimetable {
  const value = requireObject(input, 'timetable');
  for (const key of TIMETABLE_ORDER) {
    if (!isIsoDate(value[key])) throw new ValidationError(`timetable.${key}`, 'must be a date YYYY-MM-DD');
  }
  const timetable = {
    returnsDue: value.returnsDue,
    dmtReviewDeadline: value.dmtReviewDeadline,
    cltDate: value.cltDate,
    publicationDate: value.publicationDate,
  } as CycleTimetable;
  const quarterEnd = quarterEndDate(cycleId);
  if (timetable.returnsDue <= quarterEnd) {
    throw new ValidationError('timetable.returnsDue', `must be after the quarter ends (${quarterEnd})`);
  }
  assertTimetableOrder(timetable);
  return timetable;
}

/** ISO dates order as strings, so the check needs no date arithmetic. */
function assertTimetableOrder(timetable: CycleTimetable): void {
  for (let i = 1; i < TIMETABLE_ORDER.length; i += 1) {
    const earlier = TIMETABLE_ORDER[i - 1]!;
    const later = TIMETABLE_ORDER[i]!;
    if (timetable[later] < timetable[earlier]) {
      throw new ValidationError(`timetable.${later}`, `must not be before ${earlier} (${timetable[earlier]})`);
    }
  }
}

function extendCycleDeadline({ data }: ExtendCycleDeadline, cycle: CycleRecord): CycleEvent[] {
  requireObject(data, 'data');
  const deadline = data.deadline;
  if (deadline !== 'returnsDue' && deadline !== 'dmtReviewDeadline') {
    throw new ValidationError('deadline', 'must be returnsDue or dmtReviewDeadline');
  }
  if (!isIsoDate(data.to)) throw new ValidationError('to', 'must be a date YYYY-MM-DD');
  const reason = requireText(data.reason, 'reason');
  const from = cycle.timetable[deadline];
  if (data.to <= from) throw new DeadlineNotLaterError(deadline, from, data.to);
  const extended = { ...cycle.timetable, [deadline]: data.to };
  assertTimetableOrder(extended);
  return [{ type: 'CycleDeadlineExtended', data: { deadline, from, to: data.to, reason } }];
}

function closeCycle({ data }: CloseCycle, cycle: CycleRecord): CycleEvent[] {
  requireObject(data, 'data');
  const outstandingReturnIds = requireStringList(data.outstandingReturnIds, 'outstandingReturnIds', (item, field) =>
    requireText(item, field, { maxLength: 100 }),
  );
  const requested = new Set(cycle.requestedReturns.map((r) => r.returnId));
  const unknown = outstandingReturnIds.find((id) => !requested.has(id));
  if (unknown !== undefined) throw new ValidationError('outstandingReturnIds', `${unknown} was not requested in ${cycle.cycleId}`);
  return [{ type: 'CycleClosed', data: { outstandingReturnIds } }];
}

export const cycleDecider: Decider<CycleCommand, CycleEvent, CycleState> = {
  initialState: { status: 'not_opened' },
  evolve,
  decide,
};
