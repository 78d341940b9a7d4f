/**
 * What happens to the demo council, beyond every figure being submitted and approved: the
 * challenges, the restatement, the register changes, and where each return of the current cycle
 * stands today. Cycles are numbered 0-5 in the story: 0-4 are closed, 5 is the current one.
 */
import type { KpiDescription } from '@quarterly/domain';

/** Five closed cycles and the current one. */
export const STORY_CYCLE_COUNT = 6;
export const CURRENT_CYCLE = STORY_CYCLE_COUNT - 1;
/** The cycle from which the register changes below apply (the first of the current year's, for 2026/27-Q2). */
export const REGISTER_CHANGE_CYCLE = 4;

/** The timetable of every cycle, in working days (the default most councils use). */
export const TIMETABLE_WORKING_DAYS = { returnsDueAfterQuarterEnd: 10, dmtReview: 5, clt: 5, publication: 10 } as const;
/** Automatic escalation of an overdue return, in working days after it fell due (the reminder policy's defaults). */
export const ESCALATE_AFTER_WORKING_DAYS = { dmt: 3, clt: 8 } as const;

export interface StoryChallenge {
  readonly cycle: number;
  readonly kpiId: string;
  readonly reason: string;
  readonly response: string;
  /** The figure first submitted, when the challenge corrected it; the resubmission gives the real one. */
  readonly firstValue?: string;
}

/** DMT challenges in closed cycles, each answered and then approved. */
export const HISTORY_CHALLENGES: readonly StoryChallenge[] = [
  {
    cycle: 0, kpiId: 'CSC-06', firstValue: '14.9',
    reason: 'This looks low against last year: does it include children placed out of area?',
    response: 'The extract had excluded four children placed out of area; corrected figure attached.',
  },
  {
    cycle: 1, kpiId: 'RES-03',
    reason: 'Only 83.3%: which actions were missed, and are they now complete?',
    response: 'Figure confirmed. Five Adult Social Care actions slipped with the system change; revised dates agreed with Internal Audit.',
  },
  {
    cycle: 2, kpiId: 'PLN-03',
    reason: 'Please confirm the appeals counted: the planning committee report shows one more.',
    response: 'Figure confirmed: the third appeal was withdrawn, so it is not a decision overturned at appeal.',
  },
  {
    cycle: 3, kpiId: 'HSG-03', firstValue: '1891',
    reason: 'Please reconcile with the housing register snapshot at 31 March.',
    response: 'Reconciled: twelve households moved on 31 March were still counted; corrected.',
  },
  {
    cycle: 4, kpiId: 'EDU-01',
    reason: 'Timeliness has fallen for the third quarter running: is the figure right, and what is the plan?',
    response: 'Figure confirmed against the SEN2 extract. Educational psychology capacity is the cause; see the route to green.',
  },
];

/** Figures not available in closed cycles: marked so by the service, and that approved by the DMT. */
export const HISTORY_NOT_AVAILABLE: readonly { readonly kpiId: string; readonly reason: string }[] = [
  { kpiId: 'EDU-04', reason: 'SDQ questionnaires are still coming back from carers; the figure is published with the SSDA903 return in the summer.' },
];

/** An approved figure found wrong later: restated during the next cycle and approved again. */
export const RESTATEMENT = {
  kpiId: 'CSC-05',
  cycle: 2,
  value: '347',
  reason: 'Three December care entries were recorded late and found by the SSDA903 validation; the quarter-end count is corrected from 344 to 347.',
} as const;

/** Register changes announced before the register-change cycle opens. */
export const REGISTER_CHANGES = {
  retire: {
    kpiId: 'HSG-05',
    reason: 'Replaced by HSG-07, which covers repairs of every priority (Tenant Satisfaction Measure RP02).',
  },
  /** Defined with the register changes rather than at the start: no baseline before them. */
  introduce: ['HSG-07'] as readonly string[],
  amend: {
    kpiId: 'ENV-02',
    changes: {
      definition:
        'Missed kerbside collections reported by residents in the quarter and confirmed by crews, including assisted and bulky-waste collections, per 100,000 scheduled collections.',
      dataSource: 'Waste management system (in-cab devices), contact centre CRM and assisted-collection register',
    } satisfies Partial<KpiDescription>,
    reason: 'Assisted and bulky-waste collections now count, as the new waste contract reports them; figures are not comparable until the new definition beds in.',
  },
} as const;

/**
 * Where the current cycle's returns stand today. Every other return due in it has been approved.
 * Only quarterly and monthly KPIs are named here, since they are due in every cycle.
 */
export const CURRENT_CYCLE_STORY = {
  /** Never submitted: overdue, chased by the reminder worker once it runs. */
  requested: ['HSG-06', 'PH-01'],
  /** Never submitted, but given a later due date that has not yet passed. */
  extended: {
    kpiId: 'ASC-03',
    reason: 'NHS discharge data for the quarter is late; extension agreed with the Director of Adults and Health.',
  },
  /** Submitted and waiting for the DMT. */
  submitted: ['ASC-01', 'CSC-02', 'PLN-01'],
  /** Challenged by the DMT and not yet answered. */
  challenged: [
    { kpiId: 'ENV-02', reason: 'The first rated quarter on the new definition: please show how assisted collections were counted.' },
    { kpiId: 'RES-02', reason: 'The figure is better than any month this year: has long-term absence been included?' },
  ],
  /** Challenged, answered and waiting for the DMT again. */
  resubmitted: [
    {
      kpiId: 'CSC-03',
      reason: 'A sharp rise on last quarter: are any plans double counted after the system migration?',
      response: 'Checked against the CP register: no duplicates. The rise follows the summer holiday pattern of previous years.',
    },
    {
      kpiId: 'HSG-02',
      reason: 'Please confirm the denominator matches the H-CLIC return.',
      response: 'Confirmed: both use households owed a duty in the quarter (612).',
    },
  ],
  notAvailable: [
    { kpiId: 'ENV-04', reason: 'The second survey tranche was postponed by the contractor; the rolling figure would cover only two tranches.' },
  ],
  /** Overdue and escalated to the DMT by the reminder worker's rule. */
  escalatedToDmt: ['RES-06', 'HSG-03'],
  /** Overdue and escalated to the DMT, then to CLT, by the reminder worker's rule. */
  escalatedToCltWhenOverdue: ['ASC-04'],
  /** Challenged, and escalated by the director to CLT instead of waiting. */
  escalatedToCltByDirector: {
    kpiId: 'EDU-01',
    challenge: 'Timeliness has fallen below the amber threshold: what is the recovery trajectory?',
    escalation: 'EHCP timeliness has fallen for four quarters; educational psychology capacity needs a corporate decision on funding.',
  },
} as const;
