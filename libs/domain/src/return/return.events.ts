/** Events of a return; one stream per KPI × cycle quarter, `return-<kpiId>-<2024-25-Q2>`. */
import type { DomainEvent } from '../shared/decider';
import type { DecimalString } from '../shared/decimal-value';
import type { FinancialYear, IsoDate, Month, PeriodId, Quarter, ReportingPeriod } from '../shared/period';
import type { Rating, RatingLabels } from '../shared/rating.types';
import type { Frequency, KpiUnit, MeasureType, Polarity, ValueRange } from '../kpi/kpi-attributes';

/** What the return needs to know about its KPI, copied when the return is requested. */
export interface ReturnKpiSnapshot {
  readonly title: string;
  readonly directorate: string;
  readonly owner: string;
  readonly keyContacts: readonly string[];
  readonly unit: KpiUnit;
  readonly decimalPlaces: number;
  readonly polarity: Polarity;
  readonly frequency: Frequency;
  readonly measureType: MeasureType;
  readonly labels: RatingLabels;
  /** The KPI's own valid range, when it states one (else its unit's applies). */
  readonly validRange?: ValueRange;
  /** The KPI's unit label for display ("µg/m³"), when it states one. */
  readonly unitLabel?: string;
}

export interface MonthlyValue {
  readonly month: Month;
  readonly value: DecimalString;
  /** The text as entered, when normalising changed it (`0000012.0` stored as `12.0`). */
  readonly valueAsEntered?: string;
}

export interface ReturnRequestedData {
  /** `<kpiId>:<2024/25-Q2>` */
  readonly returnId: string;
  readonly kpiId: string;
  readonly cycleId: PeriodId;
  readonly financialYear: FinancialYear;
  readonly quarter: Quarter;
  /** `2024/25-Q2`, `2024/25-H1` (six-monthly) or `2024/25` (annual). */
  readonly periodCovered: ReportingPeriod;
  /** The three months of the quarter for a monthly KPI, else empty. */
  readonly expectedMonths: readonly Month[];
  readonly dueDate: IsoDate;
  readonly kpi: ReturnKpiSnapshot;
}

/** A figure with its narrative, as submitted by the service. */
export interface ReturnFigure {
  /** The headline figure: the quarter, year-to-date, half-year or annual value. */
  readonly value: DecimalString;
  /** The text as entered, when normalising changed it (`-0` stored as `0`). */
  readonly valueAsEntered?: string;
  /**
   * The in-period and year-to-date figures, when the service gives them beside the headline (the
   * two figures councils print side by side). The one of the rated measure equals `value`.
   * Absent on figures recorded before they could be given.
   */
  readonly inPeriodValue?: DecimalString;
  readonly yearToDateValue?: DecimalString;
  /** The texts as entered, when normalising changed them. */
  readonly inPeriodValueAsEntered?: string;
  readonly yearToDateValueAsEntered?: string;
  /**
   * The months given for a monthly KPI, in month order: a subset of the expected months (only the
   * months known; before subsets were allowed, always all of them); else empty.
   */
  readonly monthlyValues: readonly MonthlyValue[];
  readonly commentary: string;
  /** Required when the figure rates red, amber or not met. */
  readonly offTargetReason?: string;
  /** The actions that will bring the figure back on target; required with offTargetReason. */
  readonly routeToGreen?: string;
  readonly dataQualityNotes?: string;
  /** The rating the domain gave the figure under the policy in force. */
  readonly rating: Rating;
}

export interface ReturnSubmittedData extends ReturnFigure {
  readonly submittedBy: string;
}

export interface ReturnResubmittedData extends ReturnSubmittedData {
  /** How the service answered the DMT's challenge. */
  readonly responseToChallenge: string;
}

export interface ReturnFigureMarkedNotAvailableData {
  readonly markedBy: string;
  readonly reason: string;
}

export interface ReturnChallengedData {
  readonly challengedBy: string;
  readonly reason: string;
}

export interface ReturnApprovedData {
  readonly approvedBy: string;
  /** The approved figure; null when "not available" was approved. */
  readonly value: DecimalString | null;
  readonly rating: Rating;
}

export type EscalationLevel = 'dmt' | 'clt';

/** Who is told of an escalation, by person id: `to` are addressed, `cc` copied. */
export interface EscalationAudience {
  readonly to: readonly string[];
  readonly cc: readonly string[];
}

export interface ReturnEscalatedData {
  /** A user id, or `system:reminders` for an automatic escalation. */
  readonly escalatedBy: string;
  readonly level: EscalationLevel;
  readonly reason: string;
  /** For automatic escalations: the rule that fired (e.g. `overdue`). */
  readonly rule?: string;
  /**
   * Who is told, by person id (see `escalationAudience`): the mail goes to exactly these people.
   * Absent on events recorded before it was kept.
   */
  readonly notified?: EscalationAudience;
}

export interface ReturnRestatedData {
  readonly restatedBy: string;
  /** The value approved before (null if "not available" had been approved). */
  readonly previousValue: DecimalString | null;
  readonly value: DecimalString;
  /** The text as entered, when normalising changed it. */
  readonly valueAsEntered?: string;
  readonly inPeriodValue?: DecimalString;
  readonly yearToDateValue?: DecimalString;
  readonly inPeriodValueAsEntered?: string;
  readonly yearToDateValueAsEntered?: string;
  readonly monthlyValues: readonly MonthlyValue[];
  readonly reason: string;
  readonly rating: Rating;
}

export interface ReturnDueDateChangedData {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly reason: string;
}

/** Rules for reminders sent before a return is due. */
export type ReminderRule = 'before_deadline' | 'on_deadline';
/** Rules for chasers sent once a step is late. */
export type ChaseRule = 'overdue' | 'challenge_not_answered' | 'dmt_review_overdue';

export interface ReturnReminderSentData {
  readonly rule: ReminderRule;
  /** User ids the reminder went to. */
  readonly recipients: readonly string[];
  readonly dueDate: IsoDate;
  /** Identifies the notice; a notice key already in the stream is never recorded twice. */
  readonly noticeKey: string;
}

export interface ReturnChasedData {
  readonly rule: ChaseRule;
  readonly recipients: readonly string[];
  readonly workingDaysOverdue: number;
  readonly noticeKey: string;
}

/**
 * Where an imported figure came from: the file the performance team imported and who imported
 * it, when (the event's own time is the same instant). Nobody approved an imported figure in
 * Quarterly: the council published it before the KPI's history was loaded.
 */
export interface FigureImportSource {
  /** The performance-team member who ran the import. */
  readonly importedBy: string;
  /** The instant of the import (ISO 8601, UTC): also the event's `recordedAt`. */
  readonly importedAt: string;
  /** The imported file's name as uploaded, and the SHA-256 of its bytes (hex). */
  readonly fileName: string;
  readonly sha256: string;
}

/** What the council printed, as it printed it: the words are kept verbatim. */
export interface PublishedFigure {
  /** The paper the figure was published in, e.g. "Cabinet 14 Nov 2024, item 7, appendix 1". */
  readonly sourceDocument: string;
  /** The date the paper was published (Europe/London); "as at" shows the figure from then. */
  readonly publishedOn: IsoDate;
  /** The status printed (Green, On track, Met…), when one was. */
  readonly status?: string;
  /** The direction of travel printed against the previous period / last year, when one was. */
  readonly directionPrevious?: string;
  readonly directionLastYear?: string;
}

/**
 * A figure a council published before it used Quarterly, imported from a file: it stands as the
 * period's approved figure without anyone approving it here. It carries the request's facts (the
 * return was never requested by a cycle), the figure, the engine's own rating under the targets
 * of the figure's period, what the council printed, and where it came from.
 */
export interface ReturnFigureImportedData extends Omit<ReturnRequestedData, 'dueDate'> {
  /** The rated (headline) figure; null when the council published none (`notAvailableReason`). */
  readonly value: DecimalString | null;
  readonly valueAsEntered?: string;
  /** The in-period and year-to-date figures when the paper printed both. */
  readonly inPeriodValue?: DecimalString;
  readonly yearToDateValue?: DecimalString;
  /** The months known of a monthly KPI (a subset of `expectedMonths`), in month order. */
  readonly monthlyValues: readonly MonthlyValue[];
  readonly notAvailableReason?: string;
  readonly commentary: string;
  /** The engine's rating of `value` under the targets of the figure's own period. */
  readonly rating: Rating;
  readonly published: PublishedFigure;
  readonly source: FigureImportSource;
}

export type ReturnRequested = DomainEvent<'ReturnRequested', ReturnRequestedData>;
export type ReturnFigureImported = DomainEvent<'ReturnFigureImported', ReturnFigureImportedData>;
export type ReturnSubmitted = DomainEvent<'ReturnSubmitted', ReturnSubmittedData>;
export type ReturnResubmitted = DomainEvent<'ReturnResubmitted', ReturnResubmittedData>;
export type ReturnFigureMarkedNotAvailable = DomainEvent<
  'ReturnFigureMarkedNotAvailable',
  ReturnFigureMarkedNotAvailableData
>;
export type ReturnChallenged = DomainEvent<'ReturnChallenged', ReturnChallengedData>;
export type ReturnApproved = DomainEvent<'ReturnApproved', ReturnApprovedData>;
export type ReturnEscalated = DomainEvent<'ReturnEscalated', ReturnEscalatedData>;
export type ReturnRestated = DomainEvent<'ReturnRestated', ReturnRestatedData>;
export type ReturnDueDateChanged = DomainEvent<'ReturnDueDateChanged', ReturnDueDateChangedData>;
export type ReturnReminderSent = DomainEvent<'ReturnReminderSent', ReturnReminderSentData>;
export type ReturnChased = DomainEvent<'ReturnChased', ReturnChasedData>;

export type ReturnEvent =
  | ReturnRequested
  | ReturnSubmitted
  | ReturnResubmitted
  | ReturnFigureMarkedNotAvailable
  | ReturnChallenged
  | ReturnApproved
  | ReturnEscalated
  | ReturnRestated
  | ReturnDueDateChanged
  | ReturnReminderSent
  | ReturnChased
  | ReturnFigureImported;

export type ReturnEventType = ReturnEvent['type'];
export const RETURN_EVENT_TYPES: readonly ReturnEventType[] = [
  'ReturnRequested',
  'ReturnSubmitted',
  'ReturnResubmitted',
  'ReturnFigureMarkedNotAvailable',
  'ReturnChallenged',
  'ReturnApproved',
  'ReturnEscalated',
  'ReturnRestated',
  'ReturnDueDateChanged',
  'ReturnReminderSent',
  'ReturnChased',
  'ReturnFigureImported',
];
