import type { AuthConfig } from '../config/app-config';
import { BearerTokenVerifier } from './bearer-token-verifier';
import type { DirectoryPrincipalResolver } from './directory-principal.resolver';
import type { Principal } from './principal';

/**
 * A bearer token to a principal: the token is verified (signature, issuer, audience, lifetime),
 * its identity claim is looked up in the directory, and the directory's roles and directorate are
 * what the request may use. Shared by the API's guard and the queue dashboard.
 */
export class BearerAuthenticator {
  private readonly verifier: BearerTokenVerifier;

  constructor(
    private readonly config: AuthConfig,
    private readonly directory: DirectoryPrincipalResolver,
  ) {
    this.verifier = new BearerTokenVerifier(config);
  }

  async authenticate(token: string): Promise<Principal> {
    const { identity } = await this.verifier.verify(token);
    return this.directory.resolve(identity, this.config.identity);
  }
}
