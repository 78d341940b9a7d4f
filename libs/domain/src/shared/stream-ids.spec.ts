import { ValidationError } from './domain-error';
import {
  cycleStreamId,
  isKpiId,
  isPersonId,
  kpiStreamId,
  parseReturnId,
  personStreamId,
  returnIdOf,
  returnStreamId,
} from './stream-ids';

describe('stream ids', () => {
  it('names the streams of each type', () => {
    expect(kpiStreamId('ASC-01')).toBe('kpi-ASC-01');
    expect(cycleStreamId('2024/25-Q2')).toBe('cycle-2024-25-Q2');
    expect(returnStreamId('ASC-01', '2024/25-Q2')).toBe('return-ASC-01-2024-25-Q2');
    expect(returnIdOf('ASC-01', '2024/25-Q2')).toBe('ASC-01:2024/25-Q2');
    expect(personStreamId('j.smith')).toBe('person-j.smith');
  });

  it('parses a return id back', () => {
    expect(parseReturnId('PH.3a:2024/25-Q4')).toEqual({ kpiId: 'PH.3a', periodId: '2024/25-Q4' });
    expect(() => parseReturnId('ASC-01')).toThrow(ValidationError);
  });

  it('accepts KPI references and refuses anything that would break a stream id', () => {
    expect(isKpiId('ASC-01')).toBe(true);
    expect(isKpiId('ph.3a_b')).toBe(true);
    expect(isKpiId('-ASC')).toBe(false);
    expect(isKpiId('ASC 01')).toBe(false);
    expect(isKpiId('A'.repeat(33))).toBe(false);
    expect(() => kpiStreamId('ASC/01')).toThrow(ValidationError);
  });

  it('accepts person ids with lower case and dots', () => {
    expect(isPersonId('j.smith')).toBe(true);
    expect(isPersonId('system:reminders')).toBe(false);
  });
});
