/** The steps of the demo story: each one command, issued by one actor at one moment. */
import type { WorkingDayCalendar } from '@quarterly/calendar';
import type { CycleTimetable, EscalationLevel, FinancialYear, IsoDate, KpiDescription, MonthlyValue, PeriodId, RatingPolicy } from '@quarterly/domain';

/** A return is named by its KPI and its cycle. */
interface OnReturn {
  readonly kpiId: string;
  readonly cycleId: PeriodId;
}

/** A figure as the service reports it; commentary is written when it is rated. */
interface Figure {
  readonly value: string;
  readonly monthlyValues: readonly MonthlyValue[];
}

export type StoryAction =
  | { readonly kind: 'register-person'; readonly personId: string }
  | { readonly kind: 'define-kpi'; readonly kpiId: string }
  | { readonly kind: 'set-policy'; readonly kpiId: string; readonly financialYear: FinancialYear; readonly policy: RatingPolicy }
  | {
      readonly kind: 'amend-kpi';
      readonly kpiId: string;
      readonly changes: Partial<KpiDescription>;
      readonly reason: string;
      readonly underQualityAssuranceUntil: PeriodId;
    }
  | { readonly kind: 'retire-kpi'; readonly kpiId: string; readonly reason: string; readonly effectiveFrom: PeriodId }
  | { readonly kind: 'open-cycle'; readonly cycleId: PeriodId; readonly timetable: CycleTimetable }
  | { readonly kind: 'close-cycle'; readonly cycleId: PeriodId }
  | ({ readonly kind: 'submit' } & OnReturn & Figure)
  | ({ readonly kind: 'resubmit'; readonly responseToChallenge: string } & OnReturn & Figure)
  | ({ readonly kind: 'mark-not-available'; readonly reason: string } & OnReturn)
  | ({ readonly kind: 'challenge'; readonly reason: string } & OnReturn)
  | ({ readonly kind: 'approve' } & OnReturn)
  | ({ readonly kind: 'escalate'; readonly level: EscalationLevel; readonly reason: string; readonly automatic: boolean } & OnReturn)
  | ({ readonly kind: 'restate'; readonly reason: string } & OnReturn & Figure)
  | ({ readonly kind: 'change-due-date'; readonly to: IsoDate; readonly reason: string } & OnReturn);

export interface StoryStep {
  /** When the step happens on the simulated clock. */
  readonly at: Date;
  /** A person id, or `system:<name>` for the engine's own work. */
  readonly actor: string;
  readonly action: StoryAction;
}

/** A day of the story and a stream of steps on it, a few minutes apart from `start` (HH:mm). */
export class StoryDay {
  private next = 0;
  constructor(
    private readonly calendar: WorkingDayCalendar,
    readonly date: string,
    private readonly start: string,
    private readonly minutesApart = 2,
  ) {}

  step(actor: string, action: StoryAction): StoryStep {
    const at = new Date(this.calendar.atLocalTime(this.date, this.start).getTime() + this.next * this.minutesApart * 60_000);
    this.next += 1;
    return { at, actor, action };
  }
}
