import { SignJWT } from 'jose';
import type { AuthConfig } from '../config/app-config';
import type { Principal } from './principal';

/**
 * Mints HS256 tokens for local use (the demo users, tests, the `mint-token` CLI command).
 * In OIDC mode tokens come from the identity provider and this issuer refuses to work.
 */
export class LocalTokenIssuer {
  constructor(private readonly config: AuthConfig) {}

  async issue(principal: Pick<Principal, 'id' | 'name'>, options: { expiresInSeconds?: number; now?: Date } = {}): Promise<string> {
    if (this.config.mode !== 'shared-secret') {
      throw new Error('tokens are issued by the OIDC provider in this configuration');
    }
    const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
    // Only who the token names: roles and directorate are the directory's to say.
    return new SignJWT(principal.name ? { name: principal.name } : {})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(principal.id)
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + (options.expiresInSeconds ?? 12 * 60 * 60))
      .sign(new TextEncoder().encode(this.config.secret));
  }
}
