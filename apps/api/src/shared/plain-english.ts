import type { ProblemDetails } from '@quarterly/platform';

/** One line of a GOV.UK error summary: the message, and the field it links to. */
export interface PageError {
  readonly text: string;
  readonly href: string;
}

/**
 * What a refusal means for the person reading the page: no ids, no state-machine names, no HTTP.
 * The JSON API's problem `code` is the key, so both doors refuse for the same reasons.
 */
export function plainEnglishOf(problem: Pick<ProblemDetails, 'code' | 'currentState' | 'status'>): string {
  switch (problem.code) {
    case 'self_approval':
      return 'You submitted this figure, so someone else in your directorate management team must approve it.';
    case 'forbidden':
      return 'You do not have permission to do this. Ask the performance team if you think you should.';
    case 'not_published_yet':
      return 'These figures are not published yet. Councillors can read a quarter’s scorecard once the performance team has closed and published it.';
    case 'illegal_transition':
      return `This cannot be done now: the return ${stateInWords(problem.currentState)}.`;
    case 'escalation_not_higher':
      return 'This return has already been escalated that far.';
    case 'concurrent_change':
    case 'stale_version':
      return 'Someone else changed this return while you were looking at it.';
    case 'kpi_retired':
      return 'This indicator has been retired, so no figure can be reported for it.';
    case 'too_many_requests':
      return 'You have sent a lot of changes in a short time. Wait a minute, then try again.';
    default:
      return problem.status >= 500
        ? 'Sorry, there is a problem with the service. Try again later.'
        : 'This could not be done. Check what you entered and try again.';
  }
}

/** A return's stage as a phrase, for the pages (never the state-machine name). */
export function stateInWords(state: string | undefined): string {
  switch (state) {
    case 'requested':
      return 'is waiting for its figure';
    case 'submitted':
    case 'resubmitted':
    case 'restated':
      return 'is waiting for approval';
    case 'marked_not_available':
      return 'was reported as not available and is waiting for approval';
    case 'challenged':
      return 'was challenged and is waiting for the service to respond';
    case 'approved':
      return 'has been approved';
    default:
      return 'has moved on';
  }
}

/** A KPI's unit with how many decimal places its figures are reported to: `Percentage (1 decimal place)`, `Number (whole numbers)`. */
export function unitInWords(unit: string, decimalPlaces: number): string {
  const places = decimalPlaces === 0 ? 'whole numbers' : `${decimalPlaces} decimal place${decimalPlaces === 1 ? '' : 's'}`;
  return `${unit} (${places})`;
}

/**
 * A return's stage as a short label (tag text, the status board's filter and counts). Every stage
 * has its own label: a figure sent for the first time and one sent again after a challenge are
 * both waiting for approval, but the performance team needs to tell them apart.
 */
export function stageLabel(state: string): string {
  const labels: Record<string, string> = {
    requested: 'Figure needed',
    submitted: 'Sent: waiting for approval',
    resubmitted: 'Sent again after a challenge: waiting for approval',
    restated: 'Restated: waiting for approval',
    marked_not_available: 'Not available: waiting for approval',
    challenged: 'Challenged',
    approved: 'Approved',
  };
  return labels[state] ?? state;
}

/** The form fields' own wording for the messages class-validator and the domain give. */
const FIELD_MESSAGES: Record<string, (example: string) => string> = {
  value: (example) => `Enter the figure as a number, for example ${example}`,
  commentary: () => 'Enter commentary: what the figure shows and why',
  offTargetReason: () => 'The figure is off target: say why',
  routeToGreen: () => 'The figure is off target: say what will bring it back on target',
  responseToChallenge: () => 'Enter your response to the challenge',
  reason: () => 'Enter a reason',
  monthlyValues: (example) => `Enter the figures of the months known, for example ${example}`,
  inPeriodValue: (example) => `Enter the figure for the quarter only as a number, for example ${example}`,
  yearToDateValue: (example) => `Enter the figure for the year to date as a number, for example ${example}`,
};

/** Why each reason-carrying form asks for its reason, in its own words. */
const REASON_MESSAGES: Record<string, string> = {
  challenge: 'Enter why you are challenging the figure: the service will read it',
  escalation: 'Enter why the return is escalated',
  'not-available': 'Enter why the figure is not available',
  restatement: 'Enter why the approved figure is restated',
};

/**
 * The message for a refused field, in the words of its form. `detail` is the domain's own reason
 * when it says more than "a number" (the figure's range, its decimal places, a restatement that
 * changes nothing); `example` is a figure written as the page writes the KPI's figures (`1,250`,
 * `83.5%`); `form` names a reason-carrying form.
 */
export function fieldMessage(field: string, detail?: string, example = '83.5', form?: string): string {
  const base = field.startsWith('monthlyValues') ? 'monthlyValues' : field;
  if (base === 'value' && detail) {
    if (/decimal place/.test(detail)) return `Enter the figure ${detail.replace(/^is reported to/, 'to')}`;
    const range = /is outside the valid range (.+)$/.exec(detail)?.[1];
    if (range !== undefined) {
      const between = /^(\S+) to (\S+)$/.exec(range);
      return between ? `The figure must be between ${between[1]} and ${between[2]}` : `The figure must be ${range}`;
    }
    if (/restatement must change/.test(detail)) return 'The figure is the same as the approved one: enter the corrected figure';
  }
  if (base === 'reason' && form !== undefined && REASON_MESSAGES[form] !== undefined) return REASON_MESSAGES[form]!;
  // The domain's own words say what the two figures must agree on ("must equal value 310").
  if ((base === 'inPeriodValue' || base === 'yearToDateValue') && detail) return `${base === 'inPeriodValue' ? 'The figure for the quarter' : 'The figure for the year to date'} ${detail}`;
  return FIELD_MESSAGES[base]?.(example) ?? `Check ${field}`;
}
