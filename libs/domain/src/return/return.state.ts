/** The state of one return stream, folded from its events. */
import type { DecimalString } from '../shared/decimal-value';
import type { FinancialYear, IsoDate } from '../shared/period';
import { parseReportingPeriod } from '../shared/period';
import type { Rating } from '../shared/rating.types';
import type { EscalationLevel, FigureImportSource, MonthlyValue, PublishedFigure, ReturnEvent, ReturnRequestedData } from './return.events';

export type ReturnStatus =
  | 'requested'
  | 'submitted'
  | 'challenged'
  | 'resubmitted'
  | 'approved'
  | 'restated'
  | 'marked_not_available';

/** One reported value, kept for ever: nothing is overwritten. */
export interface ReturnHistoryEntry {
  readonly kind: 'submitted' | 'resubmitted' | 'marked_not_available' | 'restated' | 'approved' | 'imported';
  /** The figure (null when marked not available, or when "not available" was approved). */
  readonly value: DecimalString | null;
  readonly by: string;
}

export interface ReturnRecord {
  readonly status: ReturnStatus;
  readonly request: ReturnRequestedData;
  readonly dueDate: IsoDate;
  /** The latest figure reported (submitted, resubmitted or restated); null if none or not available. */
  readonly currentValue: DecimalString | null;
  readonly currentMonthlyValues: readonly MonthlyValue[];
  /** The in-period and year-to-date figures given beside the latest figure (empty if none). */
  readonly currentCompanions: { readonly inPeriodValue?: DecimalString; readonly yearToDateValue?: DecimalString };
  /** The rating of the figure awaiting or holding approval. */
  readonly currentRating: Rating | null;
  /** Who last submitted, resubmitted, restated or marked the figure not available. */
  readonly submittedBy: string | null;
  /** Who approved last; null until the first approval (an imported figure has no approver). */
  readonly approvedBy: string | null;
  /** The figure last approved; what a restatement corrects. */
  readonly approvedValue: DecimalString | null;
  readonly challengeCount: number;
  readonly escalationLevel: 'none' | EscalationLevel;
  readonly history: readonly ReturnHistoryEntry[];
  readonly reminderCount: number;
  readonly chaseCount: number;
  /** Keys of every reminder and chaser recorded, so a repeated notice is recorded once. */
  readonly noticeKeys: readonly string[];
  /** Set when the period's figure was imported as published (`ReturnFigureImported`). */
  readonly imported?: FigureImportSource & { readonly published: PublishedFigure };
}

export type ReturnState = { readonly status: 'not_requested' } | ReturnRecord;

export const initialReturnState: ReturnState = { status: 'not_requested' };

export const ESCALATION_ORDER: readonly ('none' | EscalationLevel)[] = ['none', 'dmt', 'clt'];

/** The financial year a return's figure belongs to: whose target policy rates it. */
export function ratingFinancialYearOf(request: ReturnRequestedData): FinancialYear {
  return parseReportingPeriod(request.periodCovered).financialYear;
}

export function evolveReturn(state: ReturnState, event: ReturnEvent): ReturnState {
  if (event.type === 'ReturnRequested') {
    return {
      status: 'requested',
      request: event.data,
      dueDate: event.data.dueDate,
      currentValue: null,
      currentMonthlyValues: [],
      currentCompanions: {},
      currentRating: null,
      submittedBy: null,
      approvedBy: null,
      approvedValue: null,
      challengeCount: 0,
      escalationLevel: 'none',
      history: [],
      reminderCount: 0,
      chaseCount: 0,
      noticeKeys: [],
    };
  }
  if (event.type === 'ReturnFigureImported') {
    if (state.status !== 'not_requested') return state;
    const { value, monthlyValues, rating, published, source, ...request } = event.data;
    return {
      // The published figure stands as the approved one: what a restatement corrects.
      status: 'approved',
      request: {
        returnId: request.returnId,
        kpiId: request.kpiId,
        cycleId: request.cycleId,
        financialYear: request.financialYear,
        quarter: request.quarter,
        periodCovered: request.periodCovered,
        expectedMonths: request.expectedMonths,
        dueDate: published.publishedOn,
        kpi: request.kpi,
      },
      dueDate: published.publishedOn,
      currentValue: value,
      currentMonthlyValues: monthlyValues,
      currentCompanions: companionsOf(event.data),
      currentRating: rating,
      submittedBy: null,
      approvedBy: null,
      approvedValue: value,
      challengeCount: 0,
      escalationLevel: 'none',
      history: [{ kind: 'imported', value, by: source.importedBy }],
      reminderCount: 0,
      chaseCount: 0,
      noticeKeys: [],
      imported: { ...source, published },
    };
  }
  if (state.status === 'not_requested') return state;
  const record = state;
  switch (event.type) {
    case 'ReturnSubmitted':
    case 'ReturnResubmitted': {
      const kind = event.type === 'ReturnSubmitted' ? 'submitted' : 'resubmitted';
      return {
        ...record,
        status: kind,
        currentValue: event.data.value,
        currentMonthlyValues: event.data.monthlyValues,
        currentCompanions: companionsOf(event.data),
        currentRating: event.data.rating,
        submittedBy: event.data.submittedBy,
        history: [...record.history, { kind, value: event.data.value, by: event.data.submittedBy }],
      };
    }
    case 'ReturnFigureMarkedNotAvailable':
      return {
        ...record,
        status: 'marked_not_available',
        currentValue: null,
        currentMonthlyValues: [],
        currentCompanions: {},
        currentRating: null,
        submittedBy: event.data.markedBy,
        history: [...record.history, { kind: 'marked_not_available', value: null, by: event.data.markedBy }],
      };
    case 'ReturnChallenged':
      return { ...record, status: 'challenged', challengeCount: record.challengeCount + 1 };
    case 'ReturnApproved':
      return {
        ...record,
        status: 'approved',
        approvedBy: event.data.approvedBy,
        approvedValue: event.data.value,
        currentRating: event.data.rating,
        history: [...record.history, { kind: 'approved', value: event.data.value, by: event.data.approvedBy }],
      };
    case 'ReturnEscalated':
      return { ...record, escalationLevel: event.data.level };
    case 'ReturnRestated':
      return {
        ...record,
        status: 'restated',
        currentValue: event.data.value,
        currentMonthlyValues: event.data.monthlyValues,
        currentCompanions: companionsOf(event.data),
        currentRating: event.data.rating,
        submittedBy: event.data.restatedBy,
        history: [...record.history, { kind: 'restated', value: event.data.value, by: event.data.restatedBy }],
      };
    case 'ReturnDueDateChanged':
      return { ...record, dueDate: event.data.to };
    case 'ReturnReminderSent':
      return { ...record, reminderCount: record.reminderCount + 1, noticeKeys: [...record.noticeKeys, event.data.noticeKey] };
    case 'ReturnChased':
      return { ...record, chaseCount: record.chaseCount + 1, noticeKeys: [...record.noticeKeys, event.data.noticeKey] };
  }
}

function companionsOf(data: { readonly inPeriodValue?: DecimalString; readonly yearToDateValue?: DecimalString }): ReturnRecord['currentCompanions'] {
  return {
    ...(data.inPeriodValue === undefined ? {} : { inPeriodValue: data.inPeriodValue }),
    ...(data.yearToDateValue === undefined ? {} : { yearToDateValue: data.yearToDateValue }),
  };
}
