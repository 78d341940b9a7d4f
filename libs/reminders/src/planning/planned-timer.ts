/**
 * What a timer does when it fires:
 * - `reminder`: tell the owner the return is due (before the due date or on it);
 * - `chaser`: tell the owner the return is overdue;
 * - `escalate_dmt` / `escalate_clt`: escalate an overdue return to the DMT, then to CLT;
 * - `challenge_chaser`: tell the owner a challenge is still unanswered;
 * - `challenge_escalation`: escalate a challenge left unanswered past the policy's limit;
 * - `dmt_review_chaser`: tell the DMT a submitted return is still not reviewed after its deadline.
 */
export type TimerKind =
  | 'reminder'
  | 'chaser'
  | 'escalate_dmt'
  | 'escalate_clt'
  | 'challenge_chaser'
  | 'challenge_escalation'
  | 'dmt_review_chaser';

export const TIMER_KINDS: readonly TimerKind[] = [
  'reminder',
  'chaser',
  'escalate_dmt',
  'escalate_clt',
  'challenge_chaser',
  'challenge_escalation',
  'dmt_review_chaser',
];

/** One delayed job to schedule. Plain JSON: it is the BullMQ job's data as it is. */
export interface PlannedTimer {
  /**
   * `<causing event id>.<kind>.<step>`: the same event always plans the same ids, so a replay
   * or duplicate delivery adds nothing (BullMQ keeps the first job with an id). `.` separates
   * the parts because BullMQ refuses custom job ids containing `:`.
   */
  readonly jobId: string;
  readonly kind: TimerKind;
  /** `<kpiId>:<2024/25-Q2>` */
  readonly returnId: string;
  /** When to fire: the policy's sending time on a working day (ISO instant, UTC). */
  readonly fireAt: string;
  /** The event that caused this timer. */
  readonly sourceEventId: string;
  /**
   * The date the step counts from: the due date (reminders, chasers, escalations), the local
   * date of the challenge, or the DMT review deadline. When the timer fires, a different current
   * anchor (an extended due date) means it is stale and does nothing.
   */
  readonly anchorDate: string;
  /** Working days from the anchor to the firing date; negative for reminders before it (so, for chasers, working days overdue). */
  readonly workingDaysFromAnchor: number;
  /**
   * Names the notice for the return's stream, independently of which event planned it, so two
   * plans of the same notice (a replay, an extension and back) record it once.
   */
  readonly noticeKey: string;
}
