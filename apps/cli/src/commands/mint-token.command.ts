import { personDecider, personStreamId } from '@quarterly/domain';
import { LocalTokenIssuer, type AppConfig, type QuarterlyEngine } from '@quarterly/platform';

/** A person in the directory cannot be given a token (unknown, or deactivated). */
export class CannotMintTokenError extends Error {
  override readonly name = 'CannotMintTokenError';
}

/**
 * Mints a bearer token for a person in the directory, with the roles and directorate the
 * directory holds for them. Local (shared-secret) mode only: in OIDC mode the identity provider
 * issues tokens.
 */
export async function mintToken(engine: QuarterlyEngine, config: AppConfig, personId: string, hours = 12): Promise<string> {
  const { state } = await engine.executor.load(personStreamId(personId), personDecider);
  if (state.status === 'not_registered') throw new CannotMintTokenError(`no person ${personId} in the directory`);
  if (state.status === 'deactivated') throw new CannotMintTokenError(`${personId} is deactivated`);
  const { person } = state;
  return new LocalTokenIssuer(config.auth).issue(
    { id: person.personId, roles: person.roles, name: person.name, ...(person.directorate ? { directorate: person.directorate } : {}) },
    { expiresInSeconds: Math.round(hours * 3600) },
  );
}
