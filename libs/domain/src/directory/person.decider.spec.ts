import { AlreadyExistsError, DirectoryAlreadyAdministeredError, ForbiddenActionError, PersonDeactivatedError, PersonNotFoundError, ValidationError } from '../shared/domain-error';
import { DeciderSpecification } from '../testing/decider-specification';
import { contextOf, dmt, performanceTeam } from '../testing/domain-fixtures';
import type { PersonEvent } from './person.events';
import { PersonCommand, personDecider } from './person.decider';

const spec = DeciderSpecification.for(personDecider);
const personId = 'j.smith';
const registration = { name: 'Jo Smith', email: 'jo.smith@council.example.gov.uk', roles: ['service-lead'], directorate: 'Place' };
const register = (data: Record<string, unknown> = {}, context = performanceTeam): PersonCommand =>
  ({ type: 'RegisterPerson', personId, data: { ...registration, ...data }, context }) as PersonCommand;
const registered: PersonEvent = { type: 'PersonRegistered', data: { personId, ...registration } as never };
const change = (data: Record<string, unknown>): PersonCommand => ({ type: 'ChangePersonDetails', personId, data, context: performanceTeam }) as PersonCommand;
const deactivated: PersonEvent = { type: 'PersonDeactivated', data: { reason: 'Left the council' } };

describe('when the person is not registered', () => {
  it('registers them with their roles', () => {
    spec.given([]).when(register()).then([registered]);
  });

  it.each([
    ['email', { email: 'jo.smith' }],
    ['email', { email: 'jo smith@council.gov.uk' }],
    ['roles', { roles: [] }],
    ['roles[1]', { roles: ['dmt', 'mayor'] }],
    ['roles', { roles: ['dmt', 'dmt'] }],
    ['name', { name: '' }],
  ])('refuses an invalid %s', (field, data) => {
    spec.given([]).when(register(data)).thenThrows(ValidationError, (e) => expect(e.field).toBe(field));
  });

  it('refuses a malformed person id', () => {
    spec.given([]).when({ ...register(), personId: 'jo smith' } as PersonCommand).thenThrows(ValidationError);
  });

  it('is managed by the performance team only', () => {
    spec.given([]).when(register({}, dmt)).thenThrows(ForbiddenActionError);
  });

  it('cannot be changed', () => {
    spec.given([]).when(change({ name: 'Jo' })).thenThrows(PersonNotFoundError);
  });
});

describe('when the person is registered', () => {
  it('refuses a second registration', () => {
    spec.given([registered]).when(register()).thenThrows(AlreadyExistsError);
  });

  it('records only the details that change', () => {
    const state = spec
      .given([registered])
      .when(change({ name: 'Jo Smith', roles: ['service-lead', 'dmt'] }))
      .then([{ type: 'PersonDetailsChanged', data: { roles: ['service-lead', 'dmt'] } }]);
    expect(state).toMatchObject({ person: { roles: ['service-lead', 'dmt'], name: 'Jo Smith' } });
  });

  it('refuses a change that changes nothing', () => {
    spec.given([registered]).when(change({ name: 'Jo Smith' })).thenThrows(ValidationError);
  });

  it('deactivates them with a reason', () => {
    spec
      .given([registered])
      .when({ type: 'DeactivatePerson', personId, data: { reason: 'Left the council' }, context: performanceTeam })
      .then([deactivated]);
  });
});

describe('when the person is deactivated', () => {
  it('refuses changes', () => {
    spec.given([registered, deactivated]).when(change({ name: 'Jo' })).thenThrows(PersonDeactivatedError);
  });
});

describe('the first administrator of a fresh deployment', () => {
  const operator = contextOf('system:cli');
  const first = (data: Record<string, unknown> = {}): PersonCommand =>
    ({
      type: 'RegisterFirstAdministrator',
      personId: 'p.lead',
      data: { name: 'Pat Lead', email: 'pat.lead@council.example.gov.uk', roles: ['performance-team'], signInId: '7d3c0c1e-52b1-4c4e-9a0e-1f2d3c4b5a69', currentPerformanceTeam: [], ...data },
      context: operator,
    }) as PersonCommand;

  it('is registered by the operator, with the sign-in id that maps them to the council sign-in', () => {
    spec
      .given([])
      .when(first())
      .then([
        {
          type: 'PersonRegistered',
          data: { personId: 'p.lead', name: 'Pat Lead', email: 'pat.lead@council.example.gov.uk', roles: ['performance-team'], signInId: '7d3c0c1e-52b1-4c4e-9a0e-1f2d3c4b5a69' },
        },
      ]);
  });

  it('is refused once a performance-team member exists, naming them', () => {
    spec
      .given([])
      .when(first({ currentPerformanceTeam: ['a.admin'] }))
      .thenThrows(DirectoryAlreadyAdministeredError, (e) => expect(e.message).toContain('a.admin'));
  });

  it('is accepted when forced with a reason, which the event keeps', () => {
    const [event] = spec
      .given([])
      .when(first({ currentPerformanceTeam: ['a.admin'], force: { reason: 'a.admin left; nobody can sign in' } }))
      .result().events;
    expect(event).toMatchObject({ type: 'PersonRegistered', data: { personId: 'p.lead', reason: 'a.admin left; nobody can sign in' } });
    spec
      .given([])
      .when(first({ currentPerformanceTeam: ['a.admin'], force: { reason: ' ' } }))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('reason'));
  });

  it('must hold the performance-team role and be new', () => {
    spec.given([]).when(first({ roles: ['auditor'] })).thenThrows(ValidationError, (e) => expect(e.field).toBe('roles'));
    spec.given([registered]).when(first({ force: { reason: 'again' } })).thenThrows(AlreadyExistsError);
  });
});
