import { peopleProblemsOf, trendIntro } from './kpi-page.view-model';

describe("the sentence above a KPI's trend", () => {
  const asAt = '2 November 2026 at 10:00';

  it('never says "the last 0 periods": with no approved figure it says so', () => {
    expect(trendIntro(0, false, asAt)).toBe('No figure had been approved as at 2 November 2026 at 10:00.');
    expect(trendIntro(0, true, asAt)).toBe('No approved figure had been published as at 2 November 2026 at 10:00.');
  });

  it('writes one period in the singular', () => {
    expect(trendIntro(1, true, asAt)).toBe('The approved figure of the last period that has been published, as at 2 November 2026 at 10:00, with the target it was rated against.');
  });

  it('counts several periods', () => {
    expect(trendIntro(2, false, asAt)).toBe('The approved figures of the last 2 periods, as at 2 November 2026 at 10:00, with the target each was rated against.');
  });
});

describe('who answers for a KPI, checked against the directory', () => {
  const people = new Map([
    ['s.lead', { name: 'Sam Lead', active: true }],
    ['k.gone', { name: 'Kim Gone', active: false }],
  ]);

  it('finds nothing to say when the owner and key contacts are active people', () => {
    expect(peopleProblemsOf({ owner: 's.lead', keyContacts: [] }, people)).toEqual([]);
  });

  it('names a user id that is no one and a person who has been deactivated, in the order they answer', () => {
    expect(peopleProblemsOf({ owner: 's.leed', keyContacts: ['s.lead', 'k.gone'] }, people)).toEqual([
      'The owner s.leed is not anyone in the directory.',
      'The key contact Kim Gone (k.gone) has been deactivated.',
    ]);
  });
});
