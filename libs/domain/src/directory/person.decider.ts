/** The people directory: one decider per person stream (`person-<personId>`). */
import { CommandContext, hasAnyRole, isRole, Role } from '../shared/command-context';
import type { Decider } from '../shared/decider';
import {
  AlreadyExistsError,
  DirectoryAlreadyAdministeredError,
  ForbiddenActionError,
  PersonDeactivatedError,
  PersonNotFoundError,
  ValidationError,
} from '../shared/domain-error';
import { sameJsonValue } from '../shared/same-json-value';
import { isPersonId } from '../shared/stream-ids';
import { optionalText, requireObject, requireText } from '../shared/validation';
import type { PersonDetailsChangedData, PersonEvent, PersonRegisteredData } from './person.events';

/** Every person command names its person (`personId`, giving the stream `person-<personId>`). */
export type RegisterPerson = {
  type: 'RegisterPerson';
  personId: string;
  data: Omit<PersonRegisteredData, 'personId'>;
  context: CommandContext;
};
export type ChangePersonDetails = {
  type: 'ChangePersonDetails';
  personId: string;
  data: PersonDetailsChangedData;
  context: CommandContext;
};
export type DeactivatePerson = { type: 'DeactivatePerson'; personId: string; data: { reason: string }; context: CommandContext };
/**
 * Registers the first performance-team person of a fresh deployment, issued by the operator at
 * the command line (there is nobody yet who could authorise it through the API). The handler
 * supplies who holds the performance-team role now; once anyone does, the command is refused
 * unless forced with a reason, which the event keeps.
 */
export type RegisterFirstAdministrator = {
  type: 'RegisterFirstAdministrator';
  personId: string;
  data: Omit<PersonRegisteredData, 'personId' | 'reason'> & {
    /** Active people holding the performance-team role now, read by the handler. */
    readonly currentPerformanceTeam: readonly string[];
    /** Present only when the operator forces the command despite an existing team. */
    readonly force?: { readonly reason: string };
  };
  context: CommandContext;
};

export type PersonCommand = RegisterPerson | ChangePersonDetails | DeactivatePerson | RegisterFirstAdministrator;

export interface PersonRecord {
  readonly personId: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly Role[];
  readonly directorate?: string;
  readonly signInId?: string;
}

export type PersonState =
  | { readonly status: 'not_registered' }
  | { readonly status: 'active' | 'deactivated'; readonly person: PersonRecord };

/** Only the central performance team manages who holds which role. */
export const DIRECTORY_ROLES: readonly Role[] = ['performance-team'];

// A pragmatic address check: one @, no spaces, a dot in the domain. Delivery proves the rest.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function evolve(state: PersonState, event: PersonEvent): PersonState {
  switch (event.type) {
    case 'PersonRegistered': {
      const { reason: _reason, ...person } = event.data;
      return { status: 'active', person };
    }
    case 'PersonDetailsChanged': {
      if (state.status === 'not_registered') return state;
      const { reason: _reason, ...changes } = event.data;
      return { status: state.status, person: { ...state.person, ...changes } };
    }
    case 'PersonDeactivated':
      if (state.status === 'not_registered') return state;
      return { status: 'deactivated', person: state.person };
  }
}

function decide(command: PersonCommand, state: PersonState): PersonEvent[] {
  // The operator at the command line has no role in the directory yet: the command's own rule
  // (no performance team yet, or forced with a reason) is its authority.
  if (command.type === 'RegisterFirstAdministrator') return registerFirstAdministrator(command, state);
  if (!hasAnyRole(command.context, DIRECTORY_ROLES)) {
    throw new ForbiddenActionError(command.type, command.context.actor, DIRECTORY_ROLES);
  }
  switch (command.type) {
    case 'RegisterPerson': {
      if (!isPersonId(command.personId)) throw new ValidationError('personId', 'expected a user id like j.smith');
      if (state.status !== 'not_registered') throw new AlreadyExistsError('person', command.personId);
      const data = requireObject(command.data, 'data');
      const reason = optionalText(data.reason, 'reason');
      return [{ type: 'PersonRegistered', data: { ...registrationOf(command.personId, data), ...(reason === undefined ? {} : { reason }) } }];
    }
    case 'ChangePersonDetails': {
      const person = activePerson(command, state);
      const data = requireObject(command.data, 'data');
      const proposed: Record<string, unknown> = {};
      if (data.name !== undefined) proposed.name = requireText(data.name, 'name', { maxLength: 200 });
      if (data.email !== undefined) proposed.email = requireEmail(data.email);
      if (data.roles !== undefined) proposed.roles = requireRoles(data.roles);
      if (data.directorate !== undefined) proposed.directorate = requireText(data.directorate, 'directorate', { maxLength: 200 });
      if (data.signInId !== undefined) proposed.signInId = requireText(data.signInId, 'signInId', { maxLength: 200 });
      const changes = Object.fromEntries(
        Object.entries(proposed).filter(([key, value]) => !sameJsonValue(value, person[key as keyof PersonRecord])),
      );
      if (Object.keys(changes).length === 0) throw new ValidationError('data', 'nothing would change');
      const reason = optionalText(data.reason, 'reason');
      return [{ type: 'PersonDetailsChanged', data: { ...(changes as PersonDetailsChangedData), ...(reason === undefined ? {} : { reason }) } }];
    }
    case 'DeactivatePerson':
      activePerson(command, state);
      return [{ type: 'PersonDeactivated', data: { reason: requireText(command.data?.reason, 'reason') } }];
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled person command ${JSON.stringify(unhandled)}`);
    }
  }
}

/** The fields of a new person, validated; unknown keys dropped. */
function registrationOf(personId: string, data: Record<string, unknown>): PersonRegisteredData {
  const directorate = data.directorate === undefined ? undefined : requireText(data.directorate, 'directorate', { maxLength: 200 });
  const signInId = data.signInId === undefined ? undefined : requireText(data.signInId, 'signInId', { maxLength: 200 });
  return {
    personId,
    name: requireText(data.name, 'name', { maxLength: 200 }),
    email: requireEmail(data.email),
    roles: requireRoles(data.roles),
    ...(directorate === undefined ? {} : { directorate }),
    ...(signInId === undefined ? {} : { signInId }),
  };
}

function registerFirstAdministrator(command: RegisterFirstAdministrator, state: PersonState): PersonEvent[] {
  if (!isPersonId(command.personId)) throw new ValidationError('personId', 'expected a user id like j.smith');
  const data = requireObject(command.data, 'data');
  const registration = registrationOf(command.personId, data);
  if (!registration.roles.includes('performance-team')) {
    throw new ValidationError('roles', 'the first administrator must hold the performance-team role');
  }
  const force = data.force === undefined ? undefined : requireObject(data.force, 'force');
  const reason = force === undefined ? undefined : requireText(force.reason, 'reason', { maxLength: 2000 });
  const team = Array.isArray(data.currentPerformanceTeam) ? (data.currentPerformanceTeam as string[]) : [];
  if (team.length > 0 && reason === undefined) throw new DirectoryAlreadyAdministeredError(team);
  if (state.status !== 'not_registered') throw new AlreadyExistsError('person', command.personId);
  return [{ type: 'PersonRegistered', data: { ...registration, ...(reason === undefined ? {} : { reason }) } }];
}

function activePerson(command: PersonCommand, state: PersonState): PersonRecord {
  if (state.status === 'not_registered') throw new PersonNotFoundError(command.personId);
  if (state.status === 'deactivated') throw new PersonDeactivatedError(command.personId);
  return state.person;
}

function requireEmail(value: unknown): string {
  const email = requireText(value, 'email', { maxLength: 254 });
  if (!EMAIL.test(email)) throw new ValidationError('email', 'must be an e-mail address');
  return email;
}

function requireRoles(value: unknown): Role[] {
  if (!Array.isArray(value) || value.length === 0) throw new ValidationError('roles', 'must list at least one role');
  value.forEach((role, index) => {
    if (!isRole(role)) throw new ValidationError(`roles[${index}]`, `unknown role ${JSON.stringify(role)}`);
  });
  if (new Set(value).size !== value.length) throw new ValidationError('roles', 'must not contain duplicates');
  return value as Role[];
}

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  initialState: { status: 'not_registered' },
  evolve,
  decide,
};
