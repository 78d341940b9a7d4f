import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { assertSignInIdFree, personDecider, personStreamId, ROLES, isRole, type PersonState, type Role } from '@quarterly/domain';
import { holderOfSignInId, loadRegisterSnapshot, performanceTeamOf, type QuarterlyEngine } from '@quarterly/platform';

/** The command line did not say what is needed (exit 64, with the usage). */
export class AddPersonArgumentsError extends Error {
  override readonly name = 'AddPersonArgumentsError';
}

export interface AddPersonRequest {
  readonly personId: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly Role[];
  readonly directorate?: string;
  readonly signInId?: string;
  /** Given only with --force: why a person is added although a performance team exists. */
  readonly forceReason?: string;
}

export const ADD_PERSON_USAGE = `  quarterly add-person <personId> --name <name> --email <address>
                     [--role performance-team] [--role <role> ...] [--directorate <name>]
                     [--sign-in-id <claim value>] [--force --reason <why>]
                                             add the first performance-team person of a fresh
                                             deployment (the role defaults to performance-team);
                                             refused once the directory has one unless --force
                                             with a --reason; recorded as PersonRegistered
                                             with actor system:cli
`;

/** Parses `add-person` arguments; the roles default to the performance team. */
export function parseAddPersonArguments(args: readonly string[]): AddPersonRequest {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string', multiple: true },
        directorate: { type: 'string' },
        'sign-in-id': { type: 'string' },
        force: { type: 'boolean' },
        reason: { type: 'string' },
      },
    });
  } catch (error) {
    throw new AddPersonArgumentsError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new AddPersonArgumentsError('add-person needs exactly one person id');
  if (!values.name) throw new AddPersonArgumentsError('add-person needs --name');
  if (!values.email) throw new AddPersonArgumentsError('add-person needs --email');
  const roles = values.role ?? ['performance-team'];
  const unknown = roles.find((role) => !isRole(role));
  if (unknown !== undefined) throw new AddPersonArgumentsError(`unknown role ${unknown}; roles are ${ROLES.join(', ')}`);
  if (values.force && !values.reason) throw new AddPersonArgumentsError('--force needs a --reason, which is recorded with the person');
  if (values.reason && !values.force) throw new AddPersonArgumentsError('--reason is only for --force');
  return {
    personId: positionals[0]!,
    name: values.name,
    email: values.email,
    roles: roles as Role[],
    ...(values.directorate ? { directorate: values.directorate } : {}),
    ...(values['sign-in-id'] ? { signInId: values['sign-in-id'] } : {}),
    ...(values.force ? { forceReason: values.reason! } : {}),
  };
}

/**
 * Registers the first administrator (RegisterFirstAdministrator), deciding on the directory as
 * the event store holds it (no projection needs to run); a sign-in id another person holds is
 * refused (SignInIdTakenError, naming them). The event carries the actor
 * `system:cli` and, when forced, the reason.
 */
export async function addPerson(engine: QuarterlyEngine, request: AddPersonRequest, now: Date): Promise<PersonState> {
  const snapshot = await loadRegisterSnapshot(engine.store);
  if (request.signInId !== undefined) assertSignInIdFree(request.personId, request.signInId, holderOfSignInId(snapshot, request.signInId));
  const id = randomUUID();
  const outcome = await engine.executor.execute({
    streamId: personStreamId(request.personId),
    decider: personDecider,
    command: {
      type: 'RegisterFirstAdministrator',
      personId: request.personId,
      data: {
        name: request.name,
        email: request.email,
        roles: request.roles,
        ...(request.directorate === undefined ? {} : { directorate: request.directorate }),
        ...(request.signInId === undefined ? {} : { signInId: request.signInId }),
        currentPerformanceTeam: performanceTeamOf(snapshot),
        ...(request.forceReason === undefined ? {} : { force: { reason: request.forceReason } }),
      },
      context: { actor: 'system:cli', roles: [], now: now.toISOString() },
    },
    envelope: { actor: 'system:cli', now: now.toISOString(), correlationId: id, causationId: id },
    describeState: (state) => state.status,
  });
  return outcome.state;
}
