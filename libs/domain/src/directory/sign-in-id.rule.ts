import { SignInIdTakenError } from '../shared/domain-error';

/**
 * A sign-in id (the identity provider's stable id for a person, e.g. Entra ID's `oid`) names one
 * person of the directory, deactivated people included: it is how a token is mapped to a person,
 * so two people sharing one would let one sign in as the other. `holder` is whoever holds the id
 * now (read by the caller), if anyone; the person themself may keep theirs.
 */
export function assertSignInIdFree(personId: string, signInId: string, holder: string | undefined): void {
  if (holder !== undefined && holder !== personId) throw new SignInIdTakenError(signInId, holder);
}

/** The sign-in id a person command would give its person, if it names one. */
export function proposedSignInId(command: { type: string; data?: unknown }): string | undefined {
  if (command.type !== 'RegisterPerson' && command.type !== 'ChangePersonDetails' && command.type !== 'RegisterFirstAdministrator') return undefined;
  const value = (command.data as { signInId?: unknown } | undefined)?.signInId;
  // A malformed value is the decider's to refuse, naming the field.
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
