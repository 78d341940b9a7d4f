import { KpiIdClashError, ValidationError } from '../shared/domain-error';
import { assertDirectorateSpelling, assertKnownDirectorate, assertNoKpiIdClash, RegisterFacts } from './register-rules';

const facts: RegisterFacts = { kpiIds: ['PH-01', 'ENV-01'], directorates: ['Adults and Health', 'Place'] };

describe('rules across the register', () => {
  it('refuses a KPI id that differs only in case from one in the register, naming both', () => {
    expect(() => assertNoKpiIdClash('ph-01', facts)).toThrow(KpiIdClashError);
    expect(() => assertNoKpiIdClash('ph-01', facts)).toThrow('KPI ph-01 would clash with PH-01: KPI ids are unique regardless of case');
  });

  it('lets a KPI id through that is new, or the same id (defining it again is a 409 of its own stream)', () => {
    expect(() => assertNoKpiIdClash('PH-02', facts)).not.toThrow();
    expect(() => assertNoKpiIdClash('PH-01', facts)).not.toThrow();
  });

  it('refuses a directorate written differently from the register, naming the field', () => {
    expect(() => assertDirectorateSpelling('adults  and health', facts)).toThrow(ValidationError);
    expect(() => assertDirectorateSpelling('adults  and health', facts, 'changes.directorate')).toThrow('changes.directorate: is written "Adults and Health" in the register, not "adults  and health"');
    expect(() => assertDirectorateSpelling('Resources', facts)).not.toThrow();
  });

  it("refuses a person's directorate the register does not hold, listing those it does", () => {
    expect(() => assertKnownDirectorate('Nowhere', facts)).toThrow('directorate: Nowhere is not a directorate of the register (Adults and Health, Place)');
    expect(() => assertKnownDirectorate('place', facts)).toThrow('is written "Place"');
    expect(() => assertKnownDirectorate('Place', facts)).not.toThrow();
    expect(() => assertKnownDirectorate('Place', { kpiIds: [], directorates: [] })).toThrow(/no directorate exists yet/);
  });
});
