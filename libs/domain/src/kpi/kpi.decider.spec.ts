import { AlreadyExistsError, ForbiddenActionError, KpiNotFoundError, KpiRetiredError, ValidationError } from '../shared/domain-error';
import { fold } from '../shared/decider';
import { ascDescription, auditor, performanceTeam, serviceLead } from '../testing/domain-fixtures';
import { DeciderSpecification } from '../testing/decider-specification';
import type { KpiDefined, KpiEvent } from './kpi.events';
import { isUnderQualityAssurance, KpiCommand, kpiDecider, kpiSnapshotOf, targetPolicyFor } from './kpi.decider';

const spec = DeciderSpecification.for(kpiDecider);
const kpiId = 'ASC-01';

const defineData = { ...ascDescription, owner: 's.lead', keyContacts: ['k.contact'] };
const define = (data: Record<string, unknown> = {}, context = performanceTeam): KpiCommand =>
  ({ type: 'DefineKpi', kpiId, data: { ...defineData, ...data }, context }) as KpiCommand;
const defined: KpiDefined = { type: 'KpiDefined', data: { kpiId, ...defineData } };
const retired: KpiEvent = { type: 'KpiRetired', data: { reason: 'replaced by ASC-07', effectiveFrom: '2024/25-Q3' } };

const amend = (changes: Record<string, unknown>, extra: Record<string, unknown> = {}): KpiCommand =>
  ({ type: 'AmendKpiDefinition', kpiId, data: { changes, reason: 'national definition changed', ...extra }, context: performanceTeam }) as KpiCommand;
const setPolicy = (policy: unknown, financialYear = '2024/25'): KpiCommand =>
  ({ type: 'SetKpiTargetPolicy', kpiId, data: { financialYear, policy }, context: performanceTeam }) as KpiCommand;

describe('when the KPI is not defined', () => {
  it('defines it with every field of the register', () => {
    spec.given([]).when(define()).then([defined]);
  });

  it('drops fields that are not part of the register', () => {
    spec.given([]).when(define({ colour: 'blue' })).then([defined]);
  });

  it('keeps the due quarter of an annual KPI', () => {
    const state = spec.given([]).when(define({ frequency: 'annual', annualDueQuarter: 2 })).result().state;
    expect(kpiSnapshotOf(state)).toMatchObject({ frequency: 'annual', annualDueQuarter: 2 });
  });

  it.each([
    ['title', { title: '  ' }],
    ['unit', { unit: 'furlongs' }],
    ['decimalPlaces', { decimalPlaces: 1.5 }],
    ['decimalPlaces', { decimalPlaces: 7 }],
    ['polarity', { polarity: 'up' }],
    ['frequency', { frequency: 'weekly' }],
    ['annualDueQuarter', { annualDueQuarter: 2 }],
    ['measureType', { measureType: 'cumulative' }],
    ['benchmarkSources', { benchmarkSources: 'national' }],
    ['labels', { labels: 'traffic_lights' }],
    ['owner', { owner: 'not a user' }],
    ['keyContacts', { keyContacts: ['a.b', 'a.b'] }],
  ])('refuses an invalid %s', (field, data) => {
    spec.given([]).when(define(data)).thenThrows(ValidationError, (error) => expect(error.field).toBe(field));
  });

  it('refuses a malformed KPI reference', () => {
    spec.given([]).when({ ...define(), kpiId: 'ASC 01' } as KpiCommand).thenThrows(ValidationError, (e) => expect(e.field).toBe('kpiId'));
  });

  it.each(['new', 'NEW', 'New'])('refuses the reference %s, which names the page that adds a KPI', (reserved) => {
    spec
      .given([])
      .when({ ...define(), kpiId: reserved } as KpiCommand)
      .thenThrows(ValidationError, (e) => {
        expect(e.field).toBe('kpiId');
        expect(e.message).toMatch(/is reserved/);
      });
  });

  it('refuses anyone outside the performance team', () => {
    spec.given([]).when(define({}, serviceLead)).thenThrows(ForbiddenActionError);
    spec.given([]).when(define({}, auditor)).thenThrows(ForbiddenActionError);
  });

  it('refuses changes to a KPI that does not exist', () => {
    spec.given([]).when(setPolicy({ kind: 'tracker' })).thenThrows(KpiNotFoundError, (e) => expect(e.kpiId).toBe(kpiId));
  });
});

describe('when the KPI is defined', () => {
  it('refuses defining it again', () => {
    spec.given([defined]).when(define()).thenThrows(AlreadyExistsError);
  });

  it('records only the fields an amendment really changes', () => {
    spec
      .given([defined])
      .when(amend({ title: ascDescription.title, definition: 'New national definition.' }, { underQualityAssuranceUntil: '2024/25-Q3' }))
      .then([
        {
          type: 'KpiDefinitionAmended',
          data: { changes: { definition: 'New national definition.' }, reason: 'national definition changed', underQualityAssuranceUntil: '2024/25-Q3' },
        },
      ]);
  });

  it('puts figures under quality assurance up to and including the given quarter', () => {
    const state = spec.given([defined]).when(amend({ definition: 'New.' }, { underQualityAssuranceUntil: '2024/25-Q3' })).result().state;
    expect(isUnderQualityAssurance(state, '2024/25-Q3')).toBe(true);
    expect(isUnderQualityAssurance(state, '2024/25-Q4')).toBe(false);
  });

  it('refuses a target outside the valid range of the unit, naming the field', () => {
    spec
      .given([defined])
      .when(setPolicy({ kind: 'thresholds', green: '120', amber: '90' }))
      .thenThrows(ValidationError, (e) => expect([e.field, e.reason]).toEqual(['policy.green', '120 is outside the valid range 0 to 100']));
    spec.given([defined]).when(setPolicy({ kind: 'met_not_met', target: '-1' })).thenThrows(ValidationError, (e) => expect(e.field).toBe('policy.target'));
  });

  it("accepts targets within the KPI's own stated range", () => {
    const widened: KpiDefined = { type: 'KpiDefined', data: { ...defined.data, validRange: { min: '-50', max: '200' } } };
    spec
      .given([widened])
      .when(setPolicy({ kind: 'thresholds', green: '120', amber: '-10' }))
      .then([{ type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy: { kind: 'thresholds', green: '120', amber: '-10' } } }]);
  });

  it('keeps a stated valid range in the definition and in the snapshot returns copy', () => {
    const state = spec.given([]).when(define({ validRange: { min: '-100', max: null } })).result().state;
    expect(kpiSnapshotOf(state)).toMatchObject({ validRange: { min: '-100', max: null } });
    spec.given([]).when(define({ validRange: { min: '5', max: '1' } })).thenThrows(ValidationError, (e) => expect(e.field).toBe('validRange.max'));
  });

  it('refuses an amendment that changes nothing', () => {
    spec.given([defined]).when(amend({ title: ascDescription.title })).thenThrows(ValidationError, (e) => expect(e.field).toBe('changes'));
  });

  it('refuses an amendment without a reason', () => {
    spec.given([defined]).when(amend({ title: 'x' }, { reason: '' })).thenThrows(ValidationError, (e) => expect(e.field).toBe('reason'));
  });

  it('validates amended fields by name', () => {
    spec.given([defined]).when(amend({ unit: 'furlongs' })).thenThrows(ValidationError, (e) => expect(e.field).toBe('changes.unit'));
  });

  it('drops the due quarter when an annual KPI becomes quarterly', () => {
    const annual: KpiDefined = { type: 'KpiDefined', data: { ...defined.data, frequency: 'annual', annualDueQuarter: 2 } };
    const state = spec.given([annual]).when(amend({ frequency: 'quarterly' })).result().state;
    expect(kpiSnapshotOf(state)?.annualDueQuarter).toBeUndefined();
  });

  it('changes its owner and key contacts', () => {
    spec
      .given([defined])
      .when({ type: 'ChangeKpiOwnership', kpiId, data: { owner: 'n.owner', keyContacts: [] }, context: performanceTeam })
      .then([{ type: 'KpiOwnershipChanged', data: { owner: 'n.owner', keyContacts: [] } }]);
  });

  it('refuses an ownership change that changes nothing', () => {
    spec
      .given([defined])
      .when({ type: 'ChangeKpiOwnership', kpiId, data: { owner: 's.lead', keyContacts: ['k.contact'] }, context: performanceTeam })
      .thenThrows(ValidationError);
  });

  it('sets a target policy per financial year', () => {
    const policy = { kind: 'thresholds', green: '24.1', amber: '21.4' } as const;
    const state = spec.given([defined]).when(setPolicy(policy)).then([{ type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy } }]);
    expect(targetPolicyFor(state, '2024/25')).toEqual(policy);
    expect(targetPolicyFor(state, '2025/26')).toBeNull();
  });

  it('records nothing when the same policy is set again', () => {
    const policy = { kind: 'met_not_met', target: '95' } as const;
    spec.given([defined, { type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy } }]).when(setPolicy(policy)).thenNothing();
  });

  it('records nothing when the same policy is set again and the stored one reads back with its keys in another order', () => {
    // The hash chain stores canonical JSON (keys sorted): what was written as kind, green, amber reads back as amber, green, kind.
    const stored = JSON.parse('{"amber":"21.4","green":"24.1","kind":"thresholds"}') as { kind: 'thresholds'; green: string; amber: string };
    spec
      .given([defined, { type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy: stored } }])
      .when(setPolicy({ kind: 'thresholds', green: '24.1', amber: '21.4' }))
      .thenNothing();
  });

  it.each([
    ['policy.amber', { kind: 'thresholds', green: '21.4', amber: '24.1' }],
    ['policy.green', { kind: 'thresholds', green: '1e2', amber: '24.1' }],
    ['policy.tolerancePercent', { kind: 'tolerance', target: '50', tolerancePercent: '-1' }],
    ['policy.direction', { kind: 'direction', direction: 'sideways' }],
    ['policy.kind', { kind: 'vibes' }],
  ])('refuses a policy with an invalid %s', (field, policy) => {
    spec.given([defined]).when(setPolicy(policy)).thenThrows(ValidationError, (e) => expect(e.field).toBe(field));
  });

  it('refuses a policy for a malformed financial year', () => {
    spec.given([defined]).when(setPolicy({ kind: 'tracker' }, '2024/26')).thenThrows(ValidationError, (e) => expect(e.field).toBe('financialYear'));
  });

  it('refuses targets that need a better side for a KPI without polarity', () => {
    const tracker: KpiDefined = { type: 'KpiDefined', data: { ...defined.data, polarity: 'none' } };
    spec.given([tracker]).when(setPolicy({ kind: 'met_not_met', target: '1' })).thenThrows(ValidationError);
    spec.given([tracker]).when(setPolicy({ kind: 'tracker' })).then([{ type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy: { kind: 'tracker' } } }]);
  });

  it('retires it from a quarter', () => {
    const state = spec
      .given([defined])
      .when({ type: 'RetireKpi', kpiId, data: { reason: 'replaced by ASC-07', effectiveFrom: '2024/25-Q3' }, context: performanceTeam })
      .then([retired]);
    expect(kpiSnapshotOf(state)?.retiredFrom).toBe('2024/25-Q3');
  });
});

describe('when the KPI is retired', () => {
  it('refuses every further change', () => {
    spec.given([defined, retired]).when(setPolicy({ kind: 'tracker' })).thenThrows(KpiRetiredError);
    spec.given([defined, retired]).when(amend({ title: 'x' })).thenThrows(KpiRetiredError);
    spec
      .given([defined, retired])
      .when({ type: 'RetireKpi', kpiId, data: { reason: 'again', effectiveFrom: '2024/25-Q4' }, context: performanceTeam })
      .thenThrows(KpiRetiredError);
  });

  it('still folds to its last description', () => {
    expect(fold(kpiDecider, [defined, retired])).toMatchObject({ status: 'retired', kpi: { title: ascDescription.title } });
  });
});
