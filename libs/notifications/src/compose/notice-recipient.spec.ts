import { escalationAddressees, type NoticeRecipient } from './notice-recipient';

const person = (personId: string, roles: string[], directorate?: string, active = true): NoticeRecipient => ({
  personId,
  name: personId,
  email: `${personId}@council.example`,
  roles,
  directorate,
  active,
});

const directory = new Map(
  [
    person('owner', ['service-lead'], 'Adults'),
    person('contact', ['service-lead'], 'Adults'),
    person('gone', ['service-lead'], 'Adults', false),
    person('adults.director', ['dmt'], 'Adults'),
    person('owner.also.dmt', ['dmt'], 'Adults'),
    person('place.director', ['dmt'], 'Place'),
    person('chief.exec', ['clt']),
  ].map((p) => [p.personId, p]),
);
const kpi = { owner: 'owner', keyContacts: ['contact', 'gone', 'unknown'], directorate: 'Adults' };
const ids = (people: readonly NoticeRecipient[]) => people.map((p) => p.personId);

describe('escalationAddressees', () => {
  it('sends a DMT escalation to the owner, copied to key contacts and that directorate’s DMT', () => {
    const { to, cc } = escalationAddressees(directory, kpi, 'dmt');
    expect(ids(to)).toEqual(['owner']);
    expect(ids(cc)).toEqual(['contact', 'adults.director', 'owner.also.dmt']);
  });

  it('copies CLT as well on a CLT escalation', () => {
    expect(ids(escalationAddressees(directory, kpi, 'clt').cc)).toEqual([
      'contact',
      'adults.director',
      'owner.also.dmt',
      'chief.exec',
    ]);
  });

  it('lists a person once even when they qualify twice', () => {
    const { to, cc } = escalationAddressees(directory, { ...kpi, keyContacts: ['adults.director'] }, 'dmt');
    expect([...ids(to), ...ids(cc)]).toEqual(['owner', 'adults.director', 'owner.also.dmt']);
  });

  it('leaves out a deactivated owner', () => {
    expect(escalationAddressees(directory, { ...kpi, owner: 'gone' }, 'dmt').to).toEqual([]);
  });
});
