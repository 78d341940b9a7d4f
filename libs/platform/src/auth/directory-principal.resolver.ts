import { isPersonId, personDecider, personStreamId } from '@quarterly/domain';
import { findPersonIdByEmail, findPersonIdBySignInId, type ReadModelDatabase } from '@quarterly/read-models';
import type { IdentityMapping } from '../config/app-config';
import type { EventSourcedCommandExecutor } from '../commands/event-sourced-command-executor';
import type { Principal } from './principal';

/** The token or sign-in names nobody in the directory (HTTP 401: the credential does not let anyone in). */
export class NotInDirectoryError extends Error {
  override readonly name = 'NotInDirectoryError';
}

/** The person is in the directory but was deactivated (HTTP 403: known, and no longer allowed). */
export class PersonDeactivatedAccessError extends Error {
  override readonly name = 'PersonDeactivatedAccessError';
  constructor(readonly personId: string) {
    super(`${personId} was deactivated in the directory and can no longer use Quarterly`);
  }
}

/**
 * Turns a proven identity (a token's or an ID token's claim) into the principal the engine
 * authorises: roles and directorate as the directory holds them now, whatever the token claims.
 *
 * The person's own stream is read for every request rather than the people read model, so a
 * deactivation or a change of role takes effect on the very next request, with no projection lag
 * and no cache to invalidate. (One short stream read — through the executor's folded-stream cache,
 * only the person's events after the last one it saw, usually none; callers keep the result for
 * the rest of the request.) An e-mail or sign-in-id identity goes through the people read model first (indexed),
 * only to find the person id; a person registered a moment ago is found once the projection has
 * caught up.
 */
export class DirectoryPrincipalResolver {
  constructor(
    private readonly executor: EventSourcedCommandExecutor,
    private readonly readModels: ReadModelDatabase,
  ) {}

  async resolve(identity: string, mapping: Pick<IdentityMapping, 'matches'>): Promise<Principal> {
    const personId = await this.personIdOf(identity, mapping.matches);
    if (personId === undefined || !isPersonId(personId)) throw notInDirectory(identity);
    const { state } = await this.executor.load(personStreamId(personId), personDecider);
    if (state.status === 'not_registered') throw notInDirectory(identity);
    if (state.status === 'deactivated') throw new PersonDeactivatedAccessError(personId);
    const { person } = state;
    return {
      id: person.personId,
      roles: person.roles,
      ...(person.directorate ? { directorate: person.directorate } : {}),
      name: person.name,
      email: person.email,
    };
  }

  private async personIdOf(identity: string, matches: IdentityMapping['matches']): Promise<string | undefined> {
    switch (matches) {
      case 'person-id':
        return identity;
      case 'email':
        return findPersonIdByEmail(this.readModels.db, identity);
      case 'sign-in-id':
        return findPersonIdBySignInId(this.readModels.db, identity);
    }
  }
}

function notInDirectory(identity: string): NotInDirectoryError {
  return new NotInDirectoryError(
    `${identity} is not in Quarterly's directory of people: ask the performance team to add you`,
  );
}
