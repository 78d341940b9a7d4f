/**
 * The KPI forms' fields, in one place. Each entry says how a field is asked (label, hint,
 * control, choices), how the form's text becomes the domain's value and back, and what to tell
 * the person when the domain refuses it. The define, change and ownership forms, the error
 * summary's order and the mapping of a domain `ValidationError` field (`changes.title`,
 * `policy.green`, `keyContacts[1]`, `validRange.max`) to the form field all come from here.
 *
 * Adding a field to the register is one entry in {@link DESCRIPTION_FIELDS} (the `satisfies`
 * clause fails to compile until every field of `KpiDescription` has one); a new kind of target,
 * or a new part of one, is one entry in {@link POLICY_FIELDS}.
 */
import {
  figureAsTyped,
  FREQUENCIES,
  KPI_UNITS,
  MEASURE_TYPES,
  POLARITIES,
  RATING_LABELS,
  type KpiDescription,
  type RatingPolicy,
  type RatingPolicyKind,
} from '@quarterly/domain';
import { UNIT_WORDS } from '../../scorecards/scorecard-table';

export type FormValues = Readonly<Record<string, string>>;

/** How a field is asked. `lines`: a list, one item a line; `range`: a minimum and a maximum. */
export type FieldControl = 'text' | 'textarea' | 'number' | 'select' | 'radios' | 'lines' | 'range';

export interface FormField {
  readonly label: string;
  readonly hint?: string;
  readonly control: FieldControl;
  /** The choices of a select or radios; a select's blank choice is added when `optional`. */
  readonly options?: readonly { readonly value: string; readonly text: string }[];
  /** What to enter: shown when the value is missing or not of the right kind. */
  readonly message: string;
  /** May be left blank (the domain value is then absent). */
  readonly optional?: boolean;
  /** A short input (`govuk-input--width-N`). */
  readonly width?: 2 | 4 | 10 | 20;
  /** The form's text → the domain's value; `undefined` when left blank. Defaults follow the control. */
  readonly parse?: (raw: string) => unknown;
  /** The domain's value → the form's text. Defaults follow the control. */
  readonly format?: (value: unknown) => string;
  /**
   * What a text field suggests as it is typed (an HTML datalist): the register's directorates,
   * or the directory's active people. Anything may still be entered.
   */
  readonly suggestions?: 'directorates' | 'people';
}

const words = (map: Readonly<Record<string, string>>) => Object.entries(map).map(([value, text]) => ({ value, text }));

const POLARITY_WORDS: Record<(typeof POLARITIES)[number], string> = { higher_is_better: 'Higher is better', lower_is_better: 'Lower is better', none: 'Neither: tracked only' };
const FREQUENCY_WORDS: Record<(typeof FREQUENCIES)[number], string> = { monthly: 'Monthly', quarterly: 'Quarterly', six_monthly: 'Six-monthly', annual: 'Annual' };
const MEASURE_WORDS: Record<(typeof MEASURE_TYPES)[number], string> = {
  in_period: 'The period alone',
  year_to_date: 'Year to date (cumulative)',
  rolling_12_months: 'Rolling 12 months',
  snapshot: 'Snapshot at the end of the period',
};
const LABEL_WORDS: Record<(typeof RATING_LABELS)[number], string> = { green_amber_red: 'Green, Amber, Red', on_track_monitor_action: 'On track, Monitor, Action required' };

/**
 * The register entry's descriptive fields (`KpiDescription`), in the order the forms ask them.
 * The key is the domain's field name and the form field's name.
 */
export const DESCRIPTION_FIELDS = {
  title: { label: 'Title', hint: 'As printed in the scorecard, up to 300 characters', control: 'text', message: 'Enter the indicator’s title' },
  definition: { label: 'Definition', hint: 'Exactly what is counted: numerator, denominator, inclusions and exclusions', control: 'textarea', message: 'Enter the definition of what is measured' },
  directorate: { label: 'Directorate', hint: 'Written as the register writes it, for example Adults and Health', control: 'text', message: 'Enter the directorate', suggestions: 'directorates' },
  serviceArea: { label: 'Service area', control: 'text', message: 'Enter the service area' },
  planOutcome: { label: 'Plan outcome', hint: 'For example, 1.2.1 Keep our city clean', control: 'text', message: 'Enter the plan outcome the indicator serves' },
  unit: { label: 'Unit', control: 'select', options: KPI_UNITS.map((u) => ({ value: u, text: capitalised(UNIT_WORDS[u] ?? u) })), message: 'Select the unit' },
  unitLabel: {
    label: 'Unit label',
    hint: 'Printed after each figure when the unit alone does not say it, for example µg/m³, tonnes per household, £k or per 1,000 population. Blank for none',
    control: 'text',
    width: 20,
    optional: true,
    message: 'Enter the unit label as it should be printed, or leave it blank',
  },
  decimalPlaces: {
    label: 'Decimal places',
    hint: 'The precision figures are reported at, from 0 to 6',
    control: 'number',
    width: 2,
    message: 'Enter the decimal places as a whole number from 0 to 6',
  },
  polarity: { label: 'Which way is better', control: 'radios', options: words(POLARITY_WORDS), message: 'Select which way is better' },
  frequency: { label: 'How often it is reported', control: 'radios', options: words(FREQUENCY_WORDS), message: 'Select how often it is reported' },
  annualDueQuarter: {
    label: 'Quarter an annual figure is collected in',
    hint: 'Annual indicators only; blank for Q4',
    control: 'select',
    optional: true,
    options: [1, 2, 3, 4].map((q) => ({ value: String(q), text: `Q${q}` })),
    message: 'Select the quarter, for annual indicators only',
    parse: (raw) => (raw === '' ? undefined : /^\d$/.test(raw) ? Number(raw) : raw),
  },
  measureType: { label: 'What the figure covers', control: 'radios', options: words(MEASURE_WORDS), message: 'Select what the figure covers' },
  dataSource: { label: 'Data source', control: 'text', message: 'Enter where the figure comes from' },
  limitations: { label: 'Known limitations and data-quality notes', control: 'textarea', optional: true, message: 'Enter the known limitations, or leave them blank', parse: (raw) => raw },
  benchmarkSources: { label: 'Benchmarks', hint: 'One a line, for example national average', control: 'lines', optional: true, message: 'Enter each benchmark once, one a line' },
  labels: { label: 'Status labels', control: 'radios', options: words(LABEL_WORDS), message: 'Select the words the scorecard prints for the statuses' },
  validRange: {
    label: 'Valid range of figures',
    hint: 'Only when it differs from the unit’s (a percentage is 0 to 100; counts, rates and days are not negative). Blank for no bound',
    control: 'range',
    optional: true,
    message: 'Enter the minimum and maximum as numbers, the minimum not above the maximum',
  },
} as const satisfies { readonly [K in keyof Required<KpiDescription>]: FormField };

/** Who answers for the KPI (define and ownership forms). */
export const OWNERSHIP_FIELDS = {
  owner: { label: 'Accountable owner', hint: 'Their user id, for example j.smith', control: 'text', width: 20, message: 'Enter the owner’s user id, for example j.smith', suggestions: 'people' },
  keyContacts: { label: 'Key contacts', hint: 'The officers who produce the figure and get the reminders: one user id a line', control: 'lines', optional: true, message: 'Enter each key contact’s user id once, one a line, for example a.khan' },
} as const satisfies Record<string, FormField>;

/** The define form's own field. */
export const IDENTITY_FIELDS = {
  kpiId: { label: 'Reference', hint: 'Letters, digits and hyphens, for example ASC-01', control: 'text', width: 10, message: 'Enter a reference like ASC-01' },
} as const satisfies Record<string, FormField>;

/** A change's why and, for a changed definition, the quarter its figures stay unrated until. */
export const AMENDMENT_FIELDS = {
  reason: { label: 'Why does it change?', hint: 'Owners and auditors will read this', control: 'textarea', message: 'Enter why the definition changes' },
  underQualityAssuranceUntil: {
    label: 'Figures are under quality assurance up to and including',
    hint: 'A quarter, for example 2026/27-Q3; their figures have no status meanwhile. Blank if not',
    control: 'text',
    width: 10,
    optional: true,
    message: 'Enter a quarter like 2026/27-Q3, or leave it blank',
  },
} as const satisfies Record<string, FormField>;

export const RETIREMENT_FIELDS = {
  effectiveFrom: { label: 'First quarter with no return', hint: 'For example, 2026/27-Q4', control: 'text', width: 10, message: 'Enter the first quarter with no return, like 2026/27-Q4' },
  reason: { label: 'Why is it retired?', hint: 'Owners and auditors will read this', control: 'textarea', message: 'Enter why the indicator is retired' },
} as const satisfies Record<string, FormField>;

export const OPTIONAL_REASON_FIELDS = {
  reason: { label: 'Why (optional)', hint: 'Owners and auditors will read this', control: 'textarea', optional: true, message: 'Enter why, or leave it blank' },
} as const satisfies Record<string, FormField>;

const TARGET_HINT = 'A number in the indicator’s unit, for example 85.5';

/**
 * The parts of each kind of target policy. The form field is `<kind>-<part>` (each kind's
 * inputs are revealed under its radio), the domain's `policy.<part>`.
 */
export const POLICY_FIELDS = {
  thresholds: {
    green: { label: 'Green target', hint: TARGET_HINT, control: 'text', width: 10, message: 'Enter the green target as a number, for example 95' },
    amber: { label: 'Amber target', hint: 'Figures between it and the green target are amber', control: 'text', width: 10, message: 'Enter the amber target as a number, for example 90' },
  },
  tolerance: {
    target: { label: 'Target', hint: TARGET_HINT, control: 'text', width: 10, message: 'Enter the target as a number, for example 95' },
    tolerancePercent: { label: 'Tolerance (%)', hint: 'Within this percentage of the target is amber, for example 10', control: 'text', width: 4, message: 'Enter the tolerance as a percentage from 0 to 100' },
  },
  met_not_met: {
    target: { label: 'Target', hint: TARGET_HINT, control: 'text', width: 10, message: 'Enter the target as a number, for example 95' },
  },
  direction: {
    direction: { label: 'Direction', control: 'radios', options: words({ increase: 'Increase on the previous figure', decrease: 'Decrease on the previous figure' }), message: 'Select which way the figure should move' },
  },
  tracker: {},
} as const satisfies { readonly [K in RatingPolicyKind]: Record<string, FormField> };

export const POLICY_KIND_WORDS: Record<RatingPolicyKind, { text: string; hint: string }> = {
  thresholds: { text: 'Green and amber thresholds', hint: 'Green at or beyond the green target, amber at or beyond the amber one, red otherwise' },
  tolerance: { text: 'A target with a tolerance', hint: 'Green when met, amber within a percentage of it, red beyond' },
  met_not_met: { text: 'Met or not met', hint: 'One target, two outcomes' },
  direction: { text: 'Direction only', hint: 'An interim target: better than the previous figure' },
  tracker: { text: 'Tracker: no target', hint: 'No status, only the trend' },
};
export const POLICY_KINDS = Object.keys(POLICY_FIELDS) as RatingPolicyKind[];

export const policyFieldName = (kind: RatingPolicyKind, part: string) => `${kind}-${part}`;

/** The targets form's fields: the year, the kind, each kind's parts (`<kind>-<part>`), why. */
export function targetsFormFields(yearOptions: readonly { value: string; text: string }[]): Record<string, FormField> {
  const fields: Record<string, FormField> = {
    financialYear: { label: 'Financial year', control: 'select', options: yearOptions, message: 'Select the financial year, for example 2027/28' },
    kind: { label: 'Kind of target', control: 'radios', options: POLICY_KINDS.map((k) => ({ value: k, text: POLICY_KIND_WORDS[k].text })), message: 'Select the kind of target' },
  };
  for (const kind of POLICY_KINDS) {
    for (const [part, field] of Object.entries(POLICY_FIELDS[kind] as Record<string, FormField>)) fields[policyFieldName(kind, part)] = field;
  }
  return { ...fields, ...OPTIONAL_REASON_FIELDS };
}

// ---- text ↔ value ----------------------------------------------------------------------------

/** The domain value of a field from the form's text; `undefined` when left blank. */
export function parseField(name: string, field: FormField, values: FormValues): unknown {
  if (field.control === 'range') {
    // Bounds are figures in the unit chosen on the same form, read as the pages write them
    // (`1,000`, `100%`, `£2,500`), as the return and target forms read theirs.
    const display = { unit: values['unit'] ?? '', decimalPlaces: 0 };
    const min = figureAsTyped(values[`${name}-min`] ?? '', display);
    const max = figureAsTyped(values[`${name}-max`] ?? '', display);
    return min === '' && max === '' ? undefined : { min: min === '' ? null : min, max: max === '' ? null : max };
  }
  const raw = values[name] ?? '';
  if (field.parse) return field.parse(raw);
  switch (field.control) {
    case 'lines':
      return raw.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    case 'number':
      return raw === '' ? undefined : /^\d{1,3}$/.test(raw) ? Number(raw) : raw;
    default:
      return raw === '' && field.optional ? undefined : raw;
  }
}

/**
 * The required fields left blank, each with its message: all of them at once, in the form's
 * order, before the domain is asked (it names only the first refusal it meets, so an empty form
 * took a round per field). A range is never required; what is not blank the domain checks.
 */
export function blankRequiredFields(fields: Readonly<Record<string, FormField>>, values: FormValues): Record<string, string> {
  const blank: Record<string, string> = {};
  for (const [name, field] of Object.entries(fields)) {
    if (field.optional || field.control === 'range') continue;
    if ((values[name] ?? '').trim() === '') blank[name] = field.message;
  }
  return blank;
}

/** The form's text(s) for a domain value: what a change form starts from. */
export function formatField(name: string, field: FormField, value: unknown): Record<string, string> {
  if (field.control === 'range') {
    const range = value as { min: string | null; max: string | null } | undefined;
    return { [`${name}-min`]: range?.min ?? '', [`${name}-max`]: range?.max ?? '' };
  }
  if (field.format) return { [name]: field.format(value) };
  if (value === undefined || value === null) return { [name]: '' };
  if (Array.isArray(value)) return { [name]: value.join('\n') };
  return { [name]: String(value) };
}

/** The form's texts for a set of fields' values. */
export function formValuesOf(fields: Readonly<Record<string, FormField>>, source: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.assign({}, ...Object.entries(fields).map(([name, field]) => formatField(name, field, source[name])));
}

/** The domain values of a set of fields (blank optional ones left out). */
export function domainValuesOf(fields: Readonly<Record<string, FormField>>, values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const value = parseField(name, field, values);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * The fields whose submitted value differs from the current one: what an amendment sends
 * (the domain keeps only real changes too, and refuses when nothing would change). A blank
 * optional field is not a change: an amendment sets values, it does not remove them.
 */
export function changedValuesOf(fields: Readonly<Record<string, FormField>>, values: FormValues, current: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const value = parseField(name, field, values);
    if (value === undefined) continue;
    if (JSON.stringify(formatField(name, field, value)) !== JSON.stringify(formatField(name, field, current[name]))) changes[name] = value;
  }
  return changes;
}

/** The policy a targets form gives (its kind's parts), as the domain takes it. */
export function policyFromForm(values: FormValues, readFigure: (typed: string) => string = (typed) => typed): { kind: string } & Record<string, unknown> {
  const kind = values['kind'] ?? '';
  const parts = (POLICY_FIELDS as Record<string, Record<string, FormField>>)[kind] ?? {};
  const policy: Record<string, unknown> = { kind };
  for (const [part, field] of Object.entries(parts)) {
    const parsed = parseField(policyFieldName(kind as RatingPolicyKind, part), field, values) ?? '';
    policy[part] = FIGURE_PARTS.has(part) && typeof parsed === 'string' ? readFigure(parsed) : parsed;
  }
  return policy as { kind: string } & Record<string, unknown>;
}

/** The parts of a policy that are figures in the KPI's unit (typed as the pages write figures). */
const FIGURE_PARTS: ReadonlySet<string> = new Set(['green', 'amber', 'target']);

/** A policy's form texts (the kind and its parts). */
export function policyFormValues(policy: RatingPolicy | null): Record<string, string> {
  if (!policy) return {};
  const values: Record<string, string> = { kind: policy.kind };
  for (const [part, value] of Object.entries(policy)) if (part !== 'kind') values[policyFieldName(policy.kind, part)] = String(value);
  return values;
}

// ---- refusals -------------------------------------------------------------------------------

/** Domain reasons that only say the value is missing or of the wrong kind: the field's own message says what to enter. */
const SHAPE_REASONS = /^(must be text|must not be empty|must be one of|must be a list|must be an object|expected )/;

/**
 * The form field a domain `ValidationError` names, and the message shown on it. The domain
 * prefixes an amendment's fields with `changes.`, a policy's with `policy.`, a list item with
 * `[n]` and a range's bounds with `.min`/`.max`; the message is the field's own when the reason
 * is about the value's shape, else the label and the domain's reason ("Amber target must not be
 * above the green target when higher is better").
 */
export function fieldErrorOf(
  domainField: string,
  reason: string,
  fields: Readonly<Record<string, FormField>>,
  policyKind?: string,
): { field: string; anchor: string; message: string } | undefined {
  let name = domainField.replace(/^changes\./, '').replace(/\[\d+\]$/, '');
  if (name.startsWith('validRange')) name = 'validRange';
  if (name === 'policy.kind') name = 'kind';
  else if (name.startsWith('policy.') && policyKind) name = policyFieldName(policyKind as RatingPolicyKind, name.slice('policy.'.length));
  const field = fields[name];
  if (!field) return undefined;
  const anchor = field.control === 'range' ? `${name}-${domainField.endsWith('.max') ? 'max' : 'min'}` : name;
  return { field: name, anchor, message: SHAPE_REASONS.test(reason) ? field.message : `${field.label} ${reason}` };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
