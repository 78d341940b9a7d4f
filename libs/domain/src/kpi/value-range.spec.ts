import { ValidationError } from '../shared/domain-error';
import { enteredFigureOf, normaliseDecimalText, validateValueRange, valueRangeOf } from './value-range';

const percentage = { unit: 'percentage', decimalPlaces: 1 } as const;
const count = { unit: 'count', decimalPlaces: 0 } as const;

function refusal(action: () => unknown): ValidationError {
  try {
    action();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('the valid range of a figure', () => {
  it('refuses a negative count, naming the field and the range', () => {
    const error = refusal(() => enteredFigureOf('-5', count, 'value'));
    expect(error.field).toBe('value');
    expect(error.reason).toBe('-5 is outside the valid range 0 or more');
  });

  it('refuses a percentage above 100 and below 0', () => {
    expect(refusal(() => enteredFigureOf('250.0', percentage, 'value')).reason).toBe('250.0 is outside the valid range 0 to 100');
    expect(refusal(() => enteredFigureOf('-0.1', percentage, 'monthlyValues[1].value')).field).toBe('monthlyValues[1].value');
  });

  it('accepts the bounds themselves', () => {
    expect(enteredFigureOf('100.0', percentage, 'value')).toEqual({ value: '100.0' });
    expect(enteredFigureOf('0', count, 'value')).toEqual({ value: '0' });
  });

  it("uses the KPI's own range when it states one", () => {
    const change = { ...percentage, validRange: { min: '-100', max: null } };
    expect(enteredFigureOf('-12.5', change, 'value')).toEqual({ value: '-12.5' });
    expect(enteredFigureOf('250.0', change, 'value')).toEqual({ value: '250.0' });
    expect(valueRangeOf(change)).toEqual({ min: '-100', max: null });
  });

  it('leaves money and scores unbounded', () => {
    expect(enteredFigureOf('-1250', { unit: 'money', decimalPlaces: 0 }, 'value')).toEqual({ value: '-1250' });
  });

  it('refuses a stated range whose minimum is above its maximum, or that is not decimal', () => {
    expect(refusal(() => validateValueRange({ min: '10', max: '5' }, 'validRange')).field).toBe('validRange.max');
    expect(refusal(() => validateValueRange({ min: 'ten' }, 'validRange')).field).toBe('validRange.min');
    expect(validateValueRange({ min: '-0' }, 'validRange')).toEqual({ min: '0', max: null });
  });
});

describe('normalising an entered figure', () => {
  it('writes -0 as 0 and keeps the text as entered', () => {
    expect(enteredFigureOf('-0', count, 'value')).toEqual({ value: '0', asEntered: '-0' });
    expect(enteredFigureOf('-0.0', percentage, 'value')).toEqual({ value: '0.0', asEntered: '-0.0' });
  });

  it("drops leading zeros and keeps the KPI's precision", () => {
    expect(enteredFigureOf('0000012.0', percentage, 'value')).toEqual({ value: '12.0', asEntered: '0000012.0' });
    expect(enteredFigureOf('12.000', percentage, 'value')).toEqual({ value: '12.0', asEntered: '12.000' });
  });

  it('leaves a figure already in canonical form alone, with no original text', () => {
    expect(enteredFigureOf('12', percentage, 'value')).toEqual({ value: '12' });
    expect(enteredFigureOf('0.5', percentage, 'value')).toEqual({ value: '0.5' });
  });

  it('still refuses a figure finer than the KPI reports', () => {
    expect(refusal(() => enteredFigureOf('12.25', percentage, 'value')).reason).toBe('is reported to 1 decimal place');
  });

  it('normalises decimal text without a precision limit', () => {
    expect(normaliseDecimalText('007.50')).toBe('7.50');
    expect(normaliseDecimalText('-000')).toBe('0');
  });
});
