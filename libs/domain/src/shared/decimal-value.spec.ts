import {
  compareDecimals,
  decimalPlacesOf,
  decimalsEqual,
  isDecimalString,
  normaliseDecimal,
  parseDecimal,
  significantDecimalPlacesOf,
} from './decimal-value';
import { ValidationError } from './domain-error';

describe('decimal values', () => {
  it.each(['83.5', '-2', '1234.50', '0', '0.001', '-0.5'])('accepts %s', (value) => {
    expect(isDecimalString(value)).toBe(true);
  });

  it.each(['1e3', 'NaN', 'Infinity', '', ' 1', '1,234', '.5', '5.', '+5', '--1', '0x10'])('refuses %j', (value) => {
    expect(isDecimalString(value)).toBe(false);
    expect(() => parseDecimal(value, 'value')).toThrow(ValidationError);
  });

  it('refuses numbers: values travel as strings', () => {
    expect(() => parseDecimal(83.5, 'value')).toThrow(ValidationError);
  });

  it('compares exactly where binary floats would not', () => {
    expect(compareDecimals('0.30000000000000004', '0.3')).toBeGreaterThan(0);
    expect(decimalsEqual('83.50', '83.5')).toBe(true);
    expect(compareDecimals('-2', '-10')).toBeGreaterThan(0);
  });

  it('reports precision as written and as significant', () => {
    expect(decimalPlacesOf('1234.50')).toBe(2);
    expect(decimalPlacesOf('-2')).toBe(0);
    expect(significantDecimalPlacesOf('1234.50')).toBe(1);
    expect(normaliseDecimal('1234.50')).toBe('1234.5');
    expect(normaliseDecimal('-0.00')).toBe('0');
  });
});
