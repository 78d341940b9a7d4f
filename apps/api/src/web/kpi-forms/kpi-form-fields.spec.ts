import { kpiDecider, ValidationError, type KpiCommand } from '@quarterly/domain';
import {
  AMENDMENT_FIELDS,
  changedValuesOf,
  DESCRIPTION_FIELDS,
  domainValuesOf,
  fieldErrorOf,
  formValuesOf,
  policyFormValues,
  policyFromForm,
  targetsFormFields,
  blankRequiredFields,
} from './kpi-form-fields';
import { typedFigureReader } from '../shared/typed-figure';

const CURRENT = {
  title: 'Household waste recycled',
  definition: 'Tonnes recycled over tonnes collected.',
  directorate: 'Place',
  serviceArea: 'Waste',
  planOutcome: '1.2.1 Keep our city clean',
  unit: 'percentage',
  decimalPlaces: 1,
  polarity: 'higher_is_better',
  frequency: 'quarterly',
  measureType: 'in_period',
  dataSource: 'WasteDataFlow',
  limitations: '',
  benchmarkSources: ['national average'],
  labels: 'green_amber_red',
};

/** The domain's refusal of a command, to map it as the form does. */
function refusal(command: Omit<KpiCommand, 'context'>): ValidationError {
  const context = { actor: 'p.team', roles: ['performance-team'], now: '2026-06-01T09:00:00Z' } as unknown as KpiCommand['context'];
  try {
    kpiDecider.decide({ ...command, context } as KpiCommand, kpiDecider.initialState);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('the KPI form fields', () => {
  it('round-trips the register entry through the form’s text', () => {
    const values = formValuesOf(DESCRIPTION_FIELDS, { ...CURRENT, validRange: { min: '-100', max: null } });
    expect(values).toMatchObject({ decimalPlaces: '1', benchmarkSources: 'national average', 'validRange-min': '-100', 'validRange-max': '' });
    expect(domainValuesOf(DESCRIPTION_FIELDS, values)).toEqual({ ...CURRENT, validRange: { min: '-100', max: null } });
  });

  it('reads a valid range’s bounds as the pages write figures in the unit chosen on the form', () => {
    const range = (unit: string, min: string, max: string) =>
      domainValuesOf(DESCRIPTION_FIELDS, { ...formValuesOf(DESCRIPTION_FIELDS, CURRENT), unit, 'validRange-min': min, 'validRange-max': max })['validRange'];
    expect(range('count', '1,000', ' 25,000 ')).toEqual({ min: '1000', max: '25000' });
    expect(range('percentage', '0%', '100 %')).toEqual({ min: '0', max: '100' });
    expect(range('money', '-£1,200', '£2,500.50')).toEqual({ min: '-1200', max: '2500.50' });
    // Not a figure so written, or a sign of another unit: passed on as typed, for the domain to refuse.
    expect(range('count', '1,5', '100%')).toEqual({ min: '1,5', max: '100%' });
    expect(range('count', '', '')).toBeUndefined();
  });

  it('names every required field left blank, with its message, in the form’s order; optional ones and ranges never', () => {
    const values = { ...formValuesOf(DESCRIPTION_FIELDS, CURRENT), title: ' ', dataSource: '', unitLabel: '', 'validRange-min': '' };
    expect(blankRequiredFields(DESCRIPTION_FIELDS, values)).toEqual({ title: 'Enter the indicator’s title', dataSource: 'Enter where the figure comes from' });
    expect(Object.keys(blankRequiredFields(DESCRIPTION_FIELDS, {}))).toEqual(Object.keys(DESCRIPTION_FIELDS).filter((name) => !('optional' in DESCRIPTION_FIELDS[name as keyof typeof DESCRIPTION_FIELDS]) && name !== 'validRange'));
    expect(blankRequiredFields(DESCRIPTION_FIELDS, formValuesOf(DESCRIPTION_FIELDS, CURRENT))).toEqual({});
  });

  it('an amendment sends only what changed; a blank optional field is not a change', () => {
    const values = { ...formValuesOf(DESCRIPTION_FIELDS, CURRENT), title: 'Household waste reused or recycled', benchmarkSources: 'national average\ncore cities', annualDueQuarter: '' };
    expect(changedValuesOf(DESCRIPTION_FIELDS, values, CURRENT)).toEqual({ title: 'Household waste reused or recycled', benchmarkSources: ['national average', 'core cities'] });
    expect(changedValuesOf(DESCRIPTION_FIELDS, formValuesOf(DESCRIPTION_FIELDS, CURRENT), CURRENT)).toEqual({});
  });

  it('a policy is its kind’s parts only, and reads back into the form', () => {
    const values = { kind: 'tolerance', 'tolerance-target': '95', 'tolerance-tolerancePercent': '10', 'thresholds-green': '80' };
    expect(policyFromForm(values)).toEqual({ kind: 'tolerance', target: '95', tolerancePercent: '10' });
    expect(policyFormValues({ kind: 'tolerance', target: '95', tolerancePercent: '10' })).toEqual({ kind: 'tolerance', 'tolerance-target': '95', 'tolerance-tolerancePercent': '10' });
  });

  it('reads the targets as figures of the KPI’s unit, and nothing else', () => {
    const count = typedFigureReader({ unit: 'count', decimalPlaces: 0 });
    const values = { kind: 'thresholds', 'thresholds-green': '1,700,000', 'thresholds-amber': '1,53,0000' };
    expect(policyFromForm(values, count)).toEqual({ kind: 'thresholds', green: '1700000', amber: '1,53,0000' });
    const tolerance = { kind: 'tolerance', 'tolerance-target': '95.0%', 'tolerance-tolerancePercent': '1,000' };
    expect(policyFromForm(tolerance, typedFigureReader({ unit: 'percentage', decimalPlaces: 1 }))).toEqual({ kind: 'tolerance', target: '95.0', tolerancePercent: '1,000' });
  });

  describe('maps the domain’s refusal to the form field', () => {
    it('a shape refusal shows what to enter', () => {
      const error = refusal({ type: 'DefineKpi', kpiId: 'ENV-01', data: { ...CURRENT, title: ' ', owner: 'n.owner', keyContacts: [] } as never });
      expect(fieldErrorOf(error.field, error.reason, DESCRIPTION_FIELDS)).toEqual({ field: 'title', anchor: 'title', message: 'Enter the indicator’s title' });
    });

    it('an amendment’s changes.<field> and a range’s bound', () => {
      expect(fieldErrorOf('changes.decimalPlaces', 'must be a whole number from 0 to 6', DESCRIPTION_FIELDS)).toEqual({ field: 'decimalPlaces', anchor: 'decimalPlaces', message: 'Decimal places must be a whole number from 0 to 6' });
      expect(fieldErrorOf('changes.validRange.max', 'must not be below the minimum 10', DESCRIPTION_FIELDS)).toEqual({ field: 'validRange', anchor: 'validRange-max', message: 'Valid range of figures must not be below the minimum 10' });
      expect(fieldErrorOf('underQualityAssuranceUntil', 'expected a quarter like 2024/25-Q2, got x', AMENDMENT_FIELDS)?.message).toBe('Enter a quarter like 2026/27-Q3, or leave it blank');
    });

    it('a policy’s part under the kind chosen', () => {
      const fields = targetsFormFields([{ value: '2027/28', text: '2027/28' }]);
      expect(fieldErrorOf('policy.amber', 'must not be above the green target when higher is better', fields, 'thresholds')).toEqual({
        field: 'thresholds-amber',
        anchor: 'thresholds-amber',
        message: 'Amber target must not be above the green target when higher is better',
      });
      expect(fieldErrorOf('policy.kind', 'must be one of thresholds, tolerance', fields, '')?.field).toBe('kind');
    });

    it('a field no form asks is not mapped (the page shows it in the summary)', () => {
      expect(fieldErrorOf('somethingElse', 'must be text', DESCRIPTION_FIELDS)).toBeUndefined();
    });
  });
});
