import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from '../config/app-config';
import { isRole } from '@quarterly/domain';
import type { Principal } from './principal';

/** The bearer token is missing, malformed, expired or not signed by a trusted key (HTTP 401). */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/**
 * Verifies bearer JWTs: HS256 with the configured secret locally, or RS/ES signatures against an
 * OIDC provider's JWKS in production. Roles come from the `roles` claim (an array of role names);
 * unknown role names are ignored rather than trusted.
 */
export class BearerTokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;

  constructor(private readonly config: AuthConfig) {
    this.key =
      config.mode === 'shared-secret'
        ? new TextEncoder().encode(config.secret)
        : createRemoteJWKSet(new URL(config.jwksUrl));
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      const options = {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: this.config.mode === 'shared-secret' ? ['HS256'] : ['RS256', 'ES256', 'PS256'],
      };
      const result =
        this.key instanceof Uint8Array
          ? await jwtVerify(token, this.key, options)
          : await jwtVerify(token, this.key, options);
      payload = result.payload;
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) {
        throw new InvalidTokenError(describeJoseError(error));
      }
      throw error;
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new InvalidTokenError('token has no subject');
    }
    const roles = Array.isArray(payload['roles']) ? payload['roles'].filter(isRole) : [];
    const directorate = payload['directorate'];
    const name = payload['name'];
    return {
      id: payload.sub,
      roles,
      directorate: typeof directorate === 'string' ? directorate : undefined,
      name: typeof name === 'string' ? name : undefined,
    };
  }
}

function describeJoseError(error: joseErrors.JOSEError): string {
  if (error instanceof joseErrors.JWTExpired) return 'token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `token claim "${error.claim}" is not accepted`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature is not valid';
  return 'token is not valid';
}
