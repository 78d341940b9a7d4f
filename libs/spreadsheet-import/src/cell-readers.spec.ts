import { acceptedChoices, readCalendarDate, readChoice } from './cell-readers';

describe('reading a date as an English council writes it', () => {
  it.each([
    ['2025-08-14', '2025-08-14'],
    ['14/08/2025', '2025-08-14'],
    ['14/8/2025', '2025-08-14'],
    ['4/8/2025', '2025-08-04'],
    ['14.08.2025', '2025-08-14'],
    ['14-08-2025', '2025-08-14'],
    ['14 Aug 2025', '2025-08-14'],
    ['14 aug 2025', '2025-08-14'],
    ['14 August 2025', '2025-08-14'],
    ['14th August 2025', '2025-08-14'],
    ['1 Sept 2025', '2025-09-01'],
    ['14-Aug-2025', '2025-08-14'],
    ['  14 /08/2025'.replace(' /', '/'), '2025-08-14'],
    ['29/02/2024', '2024-02-29'],
  ])('reads %s as %s (day before month)', (written, date) => {
    expect(readCalendarDate(written)).toEqual({ value: date });
  });

  it.each([
    ['31/02/2025', '"31/02/2025" is not a date: February 2025 has 28 days'],
    ['29/02/2025', '"29/02/2025" is not a date: February 2025 has 28 days'],
    ['31 April 2025', '"31 April 2025" is not a date: April 2025 has 30 days'],
    ['2025-02-30', '"2025-02-30" is not a date: February 2025 has 28 days'],
    ['08/14/2025', '"08/14/2025" is not a date: there is no month 14 (dates are read day/month/year)'],
    ['14/08/25', '"14/08/25" does not give the year in full: write it like 14/08/2025, 14 Aug 2025 or 2025-08-14'],
    ['14 Agu 2025', '"14 Agu 2025" is not a date: "Agu" is not a month; write it like 14/08/2025, 14 Aug 2025 or 2025-08-14'],
    ['soon', '"soon" is not a date: write it like 14/08/2025, 14 Aug 2025 or 2025-08-14 (day before month)'],
    ['', 'is empty: write the date like 14/08/2025, 14 Aug 2025 or 2025-08-14'],
  ])('refuses %s, saying why and what is read', (written, problem) => {
    expect(readCalendarDate(written)).toEqual({ problem });
  });
});

describe('reading a choice by its code or by the words the app prints', () => {
  const units = [
    { code: 'percentage', words: ['%', 'Percentage'] },
    { code: 'rate_per_1000', words: ['per 1,000', 'Rate per 1,000'] },
    { code: 'six_monthly' },
  ] as const;

  it.each([
    ['percentage', 'percentage'],
    [' Percentage ', 'percentage'],
    ['%', 'percentage'],
    ['rate_per_1000', 'rate_per_1000'],
    ['Rate per 1,000', 'rate_per_1000'],
    ['RATE PER 1000', 'rate_per_1000'],
    ['Per 1,000', 'rate_per_1000'],
    ['Six-monthly', 'six_monthly'],
    ['six monthly', 'six_monthly'],
  ])('reads %j as %s', (written, code) => {
    expect(readChoice(written, units)).toEqual({ value: code });
  });

  it('refuses another word naming what would be accepted', () => {
    expect(readChoice('percent', units)).toEqual({ problem: '"percent" is not one of the choices: write percentage, rate_per_1000 or six_monthly (or the words the app prints, like "%")' });
    expect(readChoice('', units)).toEqual({ problem: 'is empty: write percentage, rate_per_1000 or six_monthly (or the words the app prints, like "%")' });
    expect(acceptedChoices([{ code: 'a' }])).toBe('a');
  });
});
