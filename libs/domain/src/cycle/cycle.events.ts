/** Events of a reporting cycle; one stream per quarter, `cycle-<2024-25-Q2>`. */
import type { DomainEvent } from '../shared/decider';
import type { FinancialYear, IsoDate, Month, PeriodId, Quarter, ReportingPeriod } from '../shared/period';

/** The dates of a cycle, in order: returns due ≤ DMT review ≤ CLT ≤ publication. */
export interface CycleTimetable {
  readonly returnsDue: IsoDate;
  readonly dmtReviewDeadline: IsoDate;
  readonly cltDate: IsoDate;
  readonly publicationDate: IsoDate;
}

/** One return the cycle asks for. */
export interface RequestedReturn {
  /** `<kpiId>:<2024/25-Q2>` */
  readonly returnId: string;
  readonly kpiId: string;
  /** `2024/25-Q2`, `2024/25-H1` (six-monthly) or `2024/25` (annual). */
  readonly periodCovered: ReportingPeriod;
  /** The months a monthly KPI reports individually; empty for other frequencies. */
  readonly expectedMonths: readonly Month[];
}

/**
 * How a cycle reminds, chases and escalates: the fields the performance team set when opening it
 * (working-day counts, flags, the sending time); missing ones take the engine's default. The
 * reminder library (libs/reminders) defines and checks the fields; the domain only keeps them.
 */
export type CycleReminderPolicy = Readonly<Record<string, unknown>>;

export interface CycleOpenedData {
  readonly cycleId: PeriodId;
  readonly financialYear: FinancialYear;
  readonly quarter: Quarter;
  readonly timetable: CycleTimetable;
  readonly requestedReturns: readonly RequestedReturn[];
  /** Set when the cycle was opened with its own reminder policy (optional field, added in v1). */
  readonly policy?: CycleReminderPolicy;
}

export type CycleDeadline = 'returnsDue' | 'dmtReviewDeadline';

export interface CycleDeadlineExtendedData {
  readonly deadline: CycleDeadline;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly reason: string;
}

export interface CycleClosedData {
  /** Returns not yet approved when the cycle closed. */
  readonly outstandingReturnIds: readonly string[];
}

/**
 * A past quarter the council reported before it used Quarterly, brought in by a past-figures
 * import: it has no timetable and no returns requested, only figures imported into its return
 * streams. It counts as published from `publicationDate`, and can never be opened as a live cycle.
 */
export interface CycleImportedData {
  readonly cycleId: PeriodId;
  readonly financialYear: FinancialYear;
  readonly quarter: Quarter;
  /** The earliest publication date of the figures that brought the quarter in. */
  readonly publicationDate: IsoDate;
  readonly importedBy: string;
  readonly importedAt: string;
  readonly fileName: string;
  readonly sha256: string;
}

export type CycleOpened = DomainEvent<'CycleOpened', CycleOpenedData>;
export type CycleDeadlineExtended = DomainEvent<'CycleDeadlineExtended', CycleDeadlineExtendedData>;
export type CycleClosed = DomainEvent<'CycleClosed', CycleClosedData>;

export type CycleImported = DomainEvent<'CycleImported', CycleImportedData>;

export type CycleEvent = CycleOpened | CycleDeadlineExtended | CycleClosed | CycleImported;

export type CycleEventType = CycleEvent['type'];
export const CYCLE_EVENT_TYPES: readonly CycleEventType[] = ['CycleOpened', 'CycleDeadlineExtended', 'CycleClosed', 'CycleImported'];
