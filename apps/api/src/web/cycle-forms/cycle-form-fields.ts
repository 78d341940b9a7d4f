import { DEFAULT_REMINDER_POLICY, type ReminderPolicy } from '@quarterly/application';

/** The reminder policy fields the open-cycle form shows, in the order it asks for them. */
export const POLICY_FIELDS = ['remindWorkingDaysBefore', 'chaseEveryWorkingDays', 'escalateToDmtAfterWorkingDays', 'escalateToCltAfterWorkingDays'] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

/** The form's values for the default policy: what a person sees before changing anything. */
export function defaultPolicyValues(): Record<PolicyField, string> {
  return {
    remindWorkingDaysBefore: DEFAULT_REMINDER_POLICY.remindWorkingDaysBefore.join(', '),
    chaseEveryWorkingDays: String(DEFAULT_REMINDER_POLICY.chaseEveryWorkingDays),
    escalateToDmtAfterWorkingDays: String(DEFAULT_REMINDER_POLICY.escalateToDmtAfterWorkingDays),
    escalateToCltAfterWorkingDays: String(DEFAULT_REMINDER_POLICY.escalateToCltAfterWorkingDays),
  };
}

export type ParsedPolicy = { readonly policy: Partial<ReminderPolicy> | undefined; readonly errors: Record<string, string> };

/**
 * The reminder policy as the form gives it: whole numbers of working days (a list for the
 * reminders before the due date). Only fields that differ from the default are sent, so a cycle
 * opened without changes carries no policy of its own, exactly as one opened through the API.
 * Ranges and the order of the escalations are the use case's to check.
 */
export function policyFromForm(values: Readonly<Record<string, string>>): ParsedPolicy {
  const errors: Record<string, string> = {};
  const policy: Record<string, unknown> = {};
  const defaults = defaultPolicyValues();
  for (const field of POLICY_FIELDS) {
    const raw = (values[field] ?? '').replace(/\s+/g, ' ').trim();
    if (field === 'remindWorkingDaysBefore') {
      const parts = raw.split(/\s*,\s*|\s+/).filter(Boolean);
      if (parts.length === 0 || parts.some((p) => !/^\d{1,2}$/.test(p))) {
        errors[field] = 'Enter the working days before the due date as whole numbers separated by commas, for example 5, 2';
        continue;
      }
      const days = parts.map(Number);
      if (days.join(', ') !== defaults[field]) policy[field] = days;
      continue;
    }
    if (!/^\d{1,2}$/.test(raw)) {
      errors[field] = `${POLICY_LABELS[field]}: enter a whole number of working days, for example ${defaults[field]}`;
      continue;
    }
    if (raw !== defaults[field]) policy[field] = Number(raw);
  }
  return { policy: Object.keys(policy).length > 0 ? (policy as Partial<ReminderPolicy>) : undefined, errors };
}

export const POLICY_LABELS: Record<PolicyField, string> = {
  remindWorkingDaysBefore: 'Remind owners this many working days before the due date',
  chaseEveryWorkingDays: 'Chase an overdue return every',
  escalateToDmtAfterWorkingDays: 'Escalate an overdue return to its DMT after',
  escalateToCltAfterWorkingDays: 'Escalate an overdue return to CLT after',
};

/** A GOV.UK date input's three fields (`<name>-day`, `-month`, `-year`) as an ISO date. */
export function dateFromForm(values: Readonly<Record<string, string>>, name: string): { date?: string; blank: boolean; valid: boolean } {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => values[`${name}-${part}`] ?? '');
  if (!day && !month && !year) return { blank: true, valid: false };
  if (!/^\d{1,2}$/.test(day!) || !/^\d{1,2}$/.test(month!) || !/^\d{4}$/.test(year!)) return { blank: false, valid: false };
  const iso = `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) return { blank: false, valid: false };
  return { date: iso, blank: false, valid: true };
}
