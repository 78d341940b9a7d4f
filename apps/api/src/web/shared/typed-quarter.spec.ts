import { quarterAsTyped } from './typed-quarter';

describe('a quarter as people type it', () => {
  it('reads the usual ways of writing a quarter as the period the register writes', () => {
    for (const typed of ['2026/27-Q3', '2026/27 Q3', ' 2026/27  q3 ', 'Q3 2026/27', 'q3-2026/27', '2026-27-Q3', '2026/27Q3']) {
      expect([typed, quarterAsTyped(typed)]).toEqual([typed, '2026/27-Q3']);
    }
  });

  it('leaves anything else as typed, for validation to refuse', () => {
    for (const typed of ['2026/27-Q5', 'Q3', '2026 Q3', 'third quarter 2026/27', '2026/2027-Q3']) {
      expect(quarterAsTyped(typed)).toBe(typed.trim().replace(/\s+/g, ' '));
    }
  });
});
