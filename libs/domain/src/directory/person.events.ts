/** Events of the people directory; one stream per person, `person-<personId>`. */
import type { DomainEvent } from '../shared/decider';
import type { Role } from '../shared/command-context';

export interface PersonRegisteredData {
  readonly personId: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly Role[];
  /** The directorate a DMT member or service lead belongs to. */
  readonly directorate?: string;
  /**
   * The value of the council's sign-in claim that identifies this person at its identity provider
   * (Microsoft Entra ID's `oid`, say), when it differs from the person id.
   */
  readonly signInId?: string;
  /** Why, when given: a forced first-administrator command, or a register import (file and digest). */
  readonly reason?: string;
}

/** Only the fields that changed, with their new values. */
export interface PersonDetailsChangedData {
  readonly name?: string;
  readonly email?: string;
  readonly roles?: readonly Role[];
  readonly directorate?: string;
  readonly signInId?: string;
  /** Why, when given (a register import: the file's name and digest). */
  readonly reason?: string;
}

export interface PersonDeactivatedData {
  readonly reason: string;
}

export type PersonRegistered = DomainEvent<'PersonRegistered', PersonRegisteredData>;
export type PersonDetailsChanged = DomainEvent<'PersonDetailsChanged', PersonDetailsChangedData>;
export type PersonDeactivated = DomainEvent<'PersonDeactivated', PersonDeactivatedData>;

export type PersonEvent = PersonRegistered | PersonDetailsChanged | PersonDeactivated;

export type PersonEventType = PersonEvent['type'];
export const PERSON_EVENT_TYPES: readonly PersonEventType[] = [
  'PersonRegistered',
  'PersonDetailsChanged',
  'PersonDeactivated',
];
