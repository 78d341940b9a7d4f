import { escalationAudience, type AudienceMember } from './escalation-audience';

const person = (personId: string, roles: string[], directorate?: string, active = true): AudienceMember => ({
  personId,
  roles,
  ...(directorate ? { directorate } : {}),
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

describe('escalationAudience', () => {
  it('tells the owner of a DMT escalation, copied to key contacts and that directorate’s DMT', () => {
    expect(escalationAudience(directory, kpi, 'dmt')).toEqual({
      to: ['owner'],
      cc: ['contact', 'adults.director', 'owner.also.dmt'],
    });
  });

  it('copies CLT as well on a CLT escalation', () => {
    expect(escalationAudience(directory, kpi, 'clt').cc).toEqual(['contact', 'adults.director', 'owner.also.dmt', 'chief.exec']);
  });

  it('lists a person once even when they qualify twice', () => {
    const { to, cc } = escalationAudience(directory, { ...kpi, keyContacts: ['adults.director'] }, 'dmt');
    expect([...to, ...cc]).toEqual(['owner', 'adults.director', 'owner.also.dmt']);
  });

  it('addresses the first of the others when the owner has been deactivated', () => {
    expect(escalationAudience(directory, { ...kpi, owner: 'gone' }, 'dmt')).toEqual({
      to: ['contact'],
      cc: ['adults.director', 'owner.also.dmt'],
    });
  });

  it('tells nobody when nobody who qualifies is active', () => {
    expect(escalationAudience(new Map([['gone', person('gone', ['dmt'], 'Adults', false)]]), { ...kpi, owner: 'gone' }, 'clt')).toEqual({
      to: [],
      cc: [],
    });
  });
});
