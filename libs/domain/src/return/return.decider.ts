/**
 * A return: one KPI's figure for one cycle, from request to approval and any later restatement.
 *
 *   requested ─submit→ submitted ─approve→ approved ─restate→ restated ─approve→ approved
 *       │                  └─challenge→ challenged ─resubmit→ resubmitted ─approve→ …
 *       └─mark not available→ marked_not_available ─approve / challenge→ …
 *
 * Escalation (none → dmt → clt) is an overlay on any open stage. Reminders and chasers are
 * recorded only while the step they chase is still due.
 */
import { CommandContext, hasAnyRole, Role } from '../shared/command-context';
import type { Decider } from '../shared/decider';
import { DecimalString, parseDecimal } from '../shared/decimal-value';
import {
  EscalationNotHigherError,
  ForbiddenActionError,
  IllegalTransitionError,
  NoticeNoLongerDueError,
  SelfApprovalError,
  ValidationError,
} from '../shared/domain-error';
import { IsoDate, isIsoDate, parsePeriodId, PeriodId } from '../shared/period';
import { returnIdOf } from '../shared/stream-ids';
import { requireInteger, requireObject, requireOneOf, requireStringList, requireText } from '../shared/validation';
import { rate } from '../evaluation/rate';
import { FigureInput, figureOf, rateFigure, SubmissionKpiContext, validateCompanions, validateValues } from './return-figure';
import { decideImportFigure, ImportFigureInput } from './imported-figure';

export type { FigureInput, SubmissionKpiContext } from './return-figure';
import type { RequestedReturn } from '../cycle/cycle.events';
import type {
  ChaseRule,
  EscalationAudience,
  EscalationLevel,
  MonthlyValue,
  ReminderRule,
  ReturnEvent,
  ReturnKpiSnapshot,
} from './return.events';
import {
  ESCALATION_ORDER,
  evolveReturn,
  initialReturnState,
  ratingFinancialYearOf,
  ReturnRecord,
  ReturnState,
  ReturnStatus,
} from './return.state';

// ---- commands -------------------------------------------------------------------------------

/** Every return command names its return (`returnId` = `<kpiId>:<2024/25-Q2>`). */
interface ReturnCommandBase<T extends string, D> {
  readonly type: T;
  readonly returnId: string;
  readonly data: D;
  readonly context: CommandContext;
}

export type RequestReturn = ReturnCommandBase<
  'RequestReturn',
  { cycleId: PeriodId; request: RequestedReturn; dueDate: IsoDate; kpi: ReturnKpiSnapshot }
>;
export type SubmitReturn = ReturnCommandBase<'SubmitReturn', FigureInput>;
export type ResubmitReturn = ReturnCommandBase<'ResubmitReturn', FigureInput & { responseToChallenge: string }>;
export type MarkFigureNotAvailable = ReturnCommandBase<'MarkFigureNotAvailable', { reason: string }>;
export type ChallengeReturn = ReturnCommandBase<'ChallengeReturn', { reason: string }>;
export type ApproveReturn = ReturnCommandBase<'ApproveReturn', Record<string, never>>;
export type EscalateReturn = ReturnCommandBase<
  'EscalateReturn',
  {
    level: EscalationLevel;
    reason: string;
    /**
     * Set for an automatic escalation: the rule that fired. It is then accepted only while the
     * step is still due, and escalating to a level already reached is a no-op.
     */
    rule?: ChaseRule;
    /** Who is told of it, by person id: the handler works it out with `escalationAudience`. */
    notified?: EscalationAudience;
  }
>;
export type RestateReturn = ReturnCommandBase<
  'RestateReturn',
  {
    value: DecimalString;
    inPeriodValue?: DecimalString;
    yearToDateValue?: DecimalString;
    monthlyValues?: readonly MonthlyValue[];
    reason: string;
    kpi: SubmissionKpiContext;
  }
>;
export type ChangeReturnDueDate = ReturnCommandBase<'ChangeReturnDueDate', { to: IsoDate; reason: string }>;
export type RecordReminderSent = ReturnCommandBase<
  'RecordReminderSent',
  { rule: ReminderRule; recipients: readonly string[]; dueDate: IsoDate; noticeKey: string }
>;
export type RecordChase = ReturnCommandBase<
  'RecordChase',
  { rule: ChaseRule; recipients: readonly string[]; workingDaysOverdue: number; noticeKey: string }
>;

/** A figure the council published before it used Quarterly (see `imported-figure.ts`). */
export type ImportFigure = ReturnCommandBase<'ImportFigure', ImportFigureInput>;

export type ReturnCommand =
  | ImportFigure
  | RequestReturn
  | SubmitReturn
  | ResubmitReturn
  | MarkFigureNotAvailable
  | ChallengeReturn
  | ApproveReturn
  | EscalateReturn
  | RestateReturn
  | ChangeReturnDueDate
  | RecordReminderSent
  | RecordChase;

// ---- who may do what ------------------------------------------------------------------------

/**
 * Roles allowed to issue each command. Internal work (the cycle process manager, the reminder
 * worker) acts as `system:<name>` with the `performance-team` role.
 */
export const RETURN_COMMAND_ROLES: Readonly<Record<ReturnCommand['type'], readonly Role[]>> = {
  RequestReturn: ['performance-team'],
  SubmitReturn: ['service-lead', 'performance-team'],
  ResubmitReturn: ['service-lead', 'performance-team'],
  MarkFigureNotAvailable: ['service-lead', 'performance-team'],
  RestateReturn: ['service-lead', 'performance-team'],
  ChallengeReturn: ['dmt', 'performance-team'],
  ApproveReturn: ['dmt', 'performance-team'],
  EscalateReturn: ['dmt', 'clt', 'performance-team'],
  ChangeReturnDueDate: ['performance-team'],
  RecordReminderSent: ['performance-team'],
  RecordChase: ['performance-team'],
  ImportFigure: ['performance-team'],
};

/** Stages in which a figure waits for the DMT's approval or challenge. */
const AWAITING_REVIEW: readonly ReturnStatus[] = ['submitted', 'resubmitted', 'restated', 'marked_not_available'];
/** Stages in which the service owes a figure. */
const AWAITING_FIGURE: readonly ReturnStatus[] = ['requested', 'challenged'];

/** The stages in which a notice under each rule is still due. */
export const NOTICE_DUE_IN: Readonly<Record<ReminderRule | ChaseRule, readonly ReturnStatus[]>> = {
  before_deadline: AWAITING_FIGURE,
  on_deadline: AWAITING_FIGURE,
  overdue: AWAITING_FIGURE,
  challenge_not_answered: ['challenged'],
  dmt_review_overdue: AWAITING_REVIEW,
};

// ---- decide ---------------------------------------------------------------------------------

function decide(command: ReturnCommand, state: ReturnState): ReturnEvent[] {
  const roles = RETURN_COMMAND_ROLES[command.type];
  if (!hasAnyRole(command.context, roles)) throw new ForbiddenActionError(command.type, command.context.actor, roles);
  if (command.type === 'RequestReturn') return requestReturn(command, state);
  if (command.type === 'ImportFigure') return decideImportFigure(command.returnId, command.data, state, command.context);
  if (state.status === 'not_requested') throw new IllegalTransitionError(command.type, state.status);
  const record = state;
  switch (command.type) {
    case 'SubmitReturn':
      expectStatus(command, record, ['requested']);
      return [{ type: 'ReturnSubmitted', data: { submittedBy: command.context.actor, ...figureOf(command.data, record) } }];
    case 'ResubmitReturn': {
      expectStatus(command, record, ['challenged']);
      const responseToChallenge = requireText(command.data.responseToChallenge, 'responseToChallenge');
      return [
        {
          type: 'ReturnResubmitted',
          data: { submittedBy: command.context.actor, ...figureOf(command.data, record), responseToChallenge },
        },
      ];
    }
    case 'MarkFigureNotAvailable':
      expectStatus(command, record, AWAITING_FIGURE);
      return [
        {
          type: 'ReturnFigureMarkedNotAvailable',
          data: { markedBy: command.context.actor, reason: requireText(command.data.reason, 'reason') },
        },
      ];
    case 'ChallengeReturn':
      expectStatus(command, record, AWAITING_REVIEW);
      return [
        { type: 'ReturnChallenged', data: { challengedBy: command.context.actor, reason: requireText(command.data.reason, 'reason') } },
      ];
    case 'ApproveReturn':
      return approveReturn(command, record);
    case 'EscalateReturn':
      return escalateReturn(command, record);
    case 'RestateReturn':
      return restateReturn(command, record);
    case 'ChangeReturnDueDate':
      return changeReturnDueDate(command, record);
    case 'RecordReminderSent':
      return recordReminderSent(command, record);
    case 'RecordChase':
      return recordChase(command, record);
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled return command ${JSON.stringify(unhandled)}`);
    }
  }
}

function expectStatus(command: ReturnCommand, record: ReturnRecord, allowed: readonly ReturnStatus[]): void {
  if (!allowed.includes(record.status)) throw new IllegalTransitionError(command.type, record.status);
}

function requestReturn({ returnId, data }: RequestReturn, state: ReturnState): ReturnEvent[] {
  requireObject(data, 'data');
  const { financialYear, quarter } = parsePeriodId(data.cycleId, 'cycleId');
  const request = requireObject(data.request, 'request') as unknown as RequestedReturn;
  if (returnId !== returnIdOf(request.kpiId, data.cycleId) || request.returnId !== returnId) {
    throw new ValidationError('returnId', `must be ${returnIdOf(request.kpiId, data.cycleId)}`);
  }
  // The cycle process manager delivers at least once: a repeated request changes nothing.
  if (state.status !== 'not_requested') {
    // An imported past figure is not a return a live cycle asks for.
    if (state.imported) throw new IllegalTransitionError('RequestReturn', 'imported');
    return [];
  }
  if (!isIsoDate(data.dueDate)) throw new ValidationError('dueDate', 'must be a date YYYY-MM-DD');
  requireObject(data.kpi, 'kpi');
  return [
    {
      type: 'ReturnRequested',
      data: {
        returnId,
        kpiId: request.kpiId,
        cycleId: data.cycleId,
        financialYear,
        quarter,
        periodCovered: request.periodCovered,
        expectedMonths: request.expectedMonths,
        dueDate: data.dueDate,
        kpi: data.kpi,
      },
    },
  ];
}

function approveReturn(command: ApproveReturn, record: ReturnRecord): ReturnEvent[] {
  expectStatus(command, record, AWAITING_REVIEW);
  if (record.submittedBy === command.context.actor) throw new SelfApprovalError(command.context.actor);
  const rating =
    record.currentRating ??
    rate(null, null, {
      polarity: record.request.kpi.polarity,
      labels: record.request.kpi.labels,
      financialYear: ratingFinancialYearOf(record.request),
    });
  return [{ type: 'ReturnApproved', data: { approvedBy: command.context.actor, value: record.currentValue, rating } }];
}

function escalateReturn(command: EscalateReturn, record: ReturnRecord): ReturnEvent[] {
  const { data } = command;
  requireObject(data, 'data');
  const level = requireOneOf(data.level, ['dmt', 'clt'] as const, 'level');
  const reason = requireText(data.reason, 'reason');
  const notified = data.notified === undefined ? {} : { notified: validateAudience(data.notified) };
  const notHigher = ESCALATION_ORDER.indexOf(level) <= ESCALATION_ORDER.indexOf(record.escalationLevel);
  if (data.rule !== undefined) {
    const rule = requireOneOf(data.rule, ['overdue', 'challenge_not_answered', 'dmt_review_overdue'] as const, 'rule');
    if (!NOTICE_DUE_IN[rule].includes(record.status)) throw new NoticeNoLongerDueError(rule, record.status);
    // A repeated or overtaken automatic escalation has nothing left to do.
    if (notHigher) return [];
    return [{ type: 'ReturnEscalated', data: { escalatedBy: command.context.actor, level, reason, rule, ...notified } }];
  }
  if (record.status === 'approved') throw new IllegalTransitionError(command.type, record.status);
  if (notHigher) throw new EscalationNotHigherError(record.escalationLevel, level);
  return [{ type: 'ReturnEscalated', data: { escalatedBy: command.context.actor, level, reason, ...notified } }];
}

function validateAudience(value: unknown): EscalationAudience {
  const audience = requireObject(value, 'notified');
  const to = requireStringList(audience['to'], 'notified.to');
  const cc = requireStringList(audience['cc'], 'notified.cc');
  const twice = to.find((id) => cc.includes(id));
  if (twice !== undefined) throw new ValidationError('notified.cc', `${twice} is already addressed`);
  return { to, cc };
}

function restateReturn(command: RestateReturn, record: ReturnRecord): ReturnEvent[] {
  expectStatus(command, record, ['approved']);
  const { data } = command;
  requireObject(data, 'data');
  const reason = requireText(data.reason, 'reason');
  const { value, valueAsEntered, monthlyValues } = validateValues(data.value, data.monthlyValues, record);
  const companions = validateCompanions(value, data, data.kpi, record);
  const canonical = (figure: DecimalString | undefined) => (figure === undefined ? null : parseDecimal(figure, 'value').toFixed());
  const unchanged =
    record.approvedValue !== null &&
    parseDecimal(record.approvedValue, 'value').equals(parseDecimal(value, 'value')) &&
    JSON.stringify(monthlyValues.map((m) => [m.month, parseDecimal(m.value, 'value').toFixed()])) ===
      JSON.stringify(record.currentMonthlyValues.map((m) => [m.month, parseDecimal(m.value, 'value').toFixed()])) &&
    canonical(companions.inPeriodValue) === canonical(record.currentCompanions.inPeriodValue) &&
    canonical(companions.yearToDateValue) === canonical(record.currentCompanions.yearToDateValue);
  if (unchanged) throw new ValidationError('value', 'a restatement must change the approved figure');
  const rating = rateFigure(value, data.kpi, record);
  return [
    {
      type: 'ReturnRestated',
      data: {
        restatedBy: command.context.actor,
        previousValue: record.approvedValue,
        value,
        ...(valueAsEntered === undefined ? {} : { valueAsEntered }),
        ...companions,
        monthlyValues,
        reason,
        rating,
      },
    },
  ];
}

function changeReturnDueDate(command: ChangeReturnDueDate, record: ReturnRecord): ReturnEvent[] {
  const { data } = command;
  // An approved figure owes nothing: a later deadline does not concern it.
  if (record.status === 'approved') throw new IllegalTransitionError(command.type, record.status);
  requireObject(data, 'data');
  if (!isIsoDate(data.to)) throw new ValidationError('to', 'must be a date YYYY-MM-DD');
  const reason = requireText(data.reason, 'reason');
  // Applying the same extension twice (a replayed cycle event) changes nothing.
  if (data.to === record.dueDate) return [];
  if (data.to < record.dueDate) throw new ValidationError('to', `must be after the current due date ${record.dueDate}`);
  return [{ type: 'ReturnDueDateChanged', data: { from: record.dueDate, to: data.to, reason } }];
}

function validateNotice(
  data: { rule: ReminderRule | ChaseRule; recipients: readonly string[]; noticeKey: string },
  rules: readonly (ReminderRule | ChaseRule)[],
): { rule: ReminderRule | ChaseRule; recipients: string[]; noticeKey: string } {
  requireObject(data, 'data');
  return {
    rule: requireOneOf(data.rule, rules, 'rule'),
    recipients: requireStringList(data.recipients, 'recipients'),
    noticeKey: requireText(data.noticeKey, 'noticeKey', { maxLength: 300 }),
  };
}

function recordReminderSent({ data }: RecordReminderSent, record: ReturnRecord): ReturnEvent[] {
  const notice = validateNotice(data, ['before_deadline', 'on_deadline']);
  if (record.noticeKeys.includes(notice.noticeKey)) return [];
  if (!NOTICE_DUE_IN[notice.rule].includes(record.status)) throw new NoticeNoLongerDueError(notice.rule, record.status);
  if (!isIsoDate(data.dueDate)) throw new ValidationError('dueDate', 'must be a date YYYY-MM-DD');
  return [
    {
      type: 'ReturnReminderSent',
      data: { rule: notice.rule as ReminderRule, recipients: notice.recipients, dueDate: data.dueDate, noticeKey: notice.noticeKey },
    },
  ];
}

function recordChase({ data }: RecordChase, record: ReturnRecord): ReturnEvent[] {
  const notice = validateNotice(data, ['overdue', 'challenge_not_answered', 'dmt_review_overdue']);
  if (record.noticeKeys.includes(notice.noticeKey)) return [];
  if (!NOTICE_DUE_IN[notice.rule].includes(record.status)) throw new NoticeNoLongerDueError(notice.rule, record.status);
  const workingDaysOverdue = requireInteger(data.workingDaysOverdue, 'workingDaysOverdue', 0, 10_000);
  return [
    {
      type: 'ReturnChased',
      data: { rule: notice.rule as ChaseRule, recipients: notice.recipients, workingDaysOverdue, noticeKey: notice.noticeKey },
    },
  ];
}

export const returnDecider: Decider<ReturnCommand, ReturnEvent, ReturnState> = {
  initialState: initialReturnState,
  evolve: evolveReturn,
  decide,
};
