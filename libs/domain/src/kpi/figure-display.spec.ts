import { figureAsTyped, formatFigure, spreadsheetNumberFormat } from './figure-display';

describe('formatFigure', () => {
  it('separates thousands and writes the KPI precision', () => {
    expect(formatFigure('1700000', { unit: 'count', decimalPlaces: 0 })).toBe('1,700,000');
    expect(formatFigure('1234.5', { unit: 'score', decimalPlaces: 2 })).toBe('1,234.50');
    expect(formatFigure('999', { unit: 'count', decimalPlaces: 0 })).toBe('999');
    expect(formatFigure('0', { unit: 'count', decimalPlaces: 1 })).toBe('0.0');
  });

  it('never hides digits stored beyond the precision', () => {
    expect(formatFigure('12.345', { unit: 'score', decimalPlaces: 1 })).toBe('12.345');
  });

  it('prints % and £ from the unit, a minus before the pound sign', () => {
    expect(formatFigure('83.5', { unit: 'percentage', decimalPlaces: 1 })).toBe('83.5%');
    expect(formatFigure('1250', { unit: 'money', decimalPlaces: 2 })).toBe('£1,250.00');
    expect(formatFigure('-1200', { unit: 'money', decimalPlaces: 0 })).toBe('-£1,200');
  });

  it("prints the unit's words for rates and days", () => {
    expect(formatFigure('4.2', { unit: 'rate_per_1000', decimalPlaces: 1 })).toBe('4.2 per 1,000');
    expect(formatFigure('31.25', { unit: 'rate_per_100000', decimalPlaces: 2 })).toBe('31.25 per 100,000');
    expect(formatFigure('12', { unit: 'days', decimalPlaces: 0 })).toBe('12 days');
  });

  it('prints a unit label after the figure in place of the unit words', () => {
    expect(formatFigure('12.3', { unit: 'score', decimalPlaces: 1, unitLabel: 'µg/m³' })).toBe('12.3 µg/m³');
    expect(formatFigure('0.45', { unit: 'count', decimalPlaces: 2, unitLabel: 'tonnes per household' })).toBe('0.45 tonnes per household');
    expect(formatFigure('4.2', { unit: 'rate_per_1000', decimalPlaces: 1, unitLabel: 'per 1,000 population' })).toBe('4.2 per 1,000 population');
    expect(formatFigure('83.5', { unit: 'percentage', decimalPlaces: 1, unitLabel: 'of households' })).toBe('83.5% of households');
  });

  it('lets a money label starting with £ take the place of the pound sign', () => {
    expect(formatFigure('1250', { unit: 'money', decimalPlaces: 0, unitLabel: '£k' })).toBe('£1,250k');
    expect(formatFigure('-2.5', { unit: 'money', decimalPlaces: 1, unitLabel: '£m per year' })).toBe('-£2.5m per year');
    expect(formatFigure('1250', { unit: 'money', decimalPlaces: 0, unitLabel: 'per pupil' })).toBe('£1,250 per pupil');
  });

  it('returns nothing for no figure and leaves other text as it is', () => {
    expect(formatFigure(null, { unit: 'count', decimalPlaces: 0 })).toBe('');
    expect(formatFigure('n/a', { unit: 'count', decimalPlaces: 0 })).toBe('n/a');
  });
});

describe('spreadsheetNumberFormat', () => {
  it('keeps the precision and the affixes as literal text', () => {
    expect(spreadsheetNumberFormat({ unit: 'count', decimalPlaces: 0 })).toBe('#,##0');
    expect(spreadsheetNumberFormat({ unit: 'percentage', decimalPlaces: 1 })).toBe('#,##0.0"%"');
    expect(spreadsheetNumberFormat({ unit: 'money', decimalPlaces: 2 })).toBe('"£"#,##0.00');
    expect(spreadsheetNumberFormat({ unit: 'money', decimalPlaces: 0, unitLabel: '£k' })).toBe('"£"#,##0"k"');
    expect(spreadsheetNumberFormat({ unit: 'score', decimalPlaces: 1, unitLabel: 'µg/m³' })).toBe('#,##0.0" µg/m³"');
  });
});

describe('figureAsTyped', () => {
  const count = { unit: 'count', decimalPlaces: 0 };
  const percentage = { unit: 'percentage', decimalPlaces: 1 };
  const money = { unit: 'money', decimalPlaces: 2 };

  it('reads back what formatFigure writes', () => {
    for (const [value, display] of [
      ['1702115', count],
      ['43.0', percentage],
      ['1250.00', money],
      ['-1200', { unit: 'money', decimalPlaces: 0 }],
      ['-1234567.5', { unit: 'score', decimalPlaces: 1 }],
    ] as const) {
      expect(figureAsTyped(formatFigure(value, display), display)).toBe(value);
    }
  });

  it('takes plain numerals as they are, trimmed', () => {
    expect(figureAsTyped(' 83.5 ', percentage)).toBe('83.5');
    expect(figureAsTyped('1702115', count)).toBe('1702115');
    expect(figureAsTyped('43.0 %', percentage)).toBe('43.0');
  });

  it('leaves commas that are not thousands separators, for validation to refuse', () => {
    expect(figureAsTyped('1,5', count)).toBe('1,5');
    expect(figureAsTyped('17,02,115', count)).toBe('17,02,115');
    expect(figureAsTyped('1,702,11', count)).toBe('1,702,11');
    expect(figureAsTyped(',702', count)).toBe(',702');
  });

  it("keeps a % or £ the KPI's unit does not write", () => {
    expect(figureAsTyped('43%', count)).toBe('43%');
    expect(figureAsTyped('£1,250', percentage)).toBe('£1,250');
  });

  it('leaves words and empty text as typed', () => {
    expect(figureAsTyped('about 40', percentage)).toBe('about 40');
    expect(figureAsTyped('', percentage)).toBe('');
  });
});
