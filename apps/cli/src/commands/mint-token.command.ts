import { personDecider, personStreamId } from '@quarterly/domain';
import { LocalTokenIssuer, type AppConfig, type QuarterlyEngine } from '@quarterly/platform';

/** A person in the directory cannot be given a token (unknown, or deactivated). */
export class CannotMintTokenError extends Error {
  override readonly name = 'CannotMintTokenError';
}

/**
 * Mints a bearer token naming a person of the directory (its subject is the person id). The API
 * reads their roles and directorate from the directory at every request, so a change of role
 * or a deactivation applies to tokens already given out. Local (shared-secret) mode only: in OIDC mode the identity provider
 * issues tokens.
 */
export async function mintToken(engine: QuarterlyEngine, config: AppConfig, personId: string, hours = 12): Promise<string> {
  const { state } = await engine.executor.load(personStreamId(personId), personDecider);
  if (state.status === 'not_registered') throw new CannotMintTokenError(`no person ${personId} in the directory`);
  if (state.status === 'deactivated') throw new CannotMintTokenError(`${personId} is deactivated`);
  const { person } = state;
  return new LocalTokenIssuer(config.auth).issue(
    { id: person.personId, name: person.name },
    { expiresInSeconds: Math.round(hours * 3600) },
  );
}
