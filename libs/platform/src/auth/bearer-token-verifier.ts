import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from '../config/app-config';

/** A token whose signature, issuer, audience and lifetime were checked: who it names, nothing more. */
export interface VerifiedToken {
  /** The value of the configured identity claim (`sub` for local tokens). */
  readonly identity: string;
}

/** The bearer token is missing, malformed, expired or not signed by a trusted key (HTTP 401). */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/**
 * The OIDC provider's signing keys cannot be fetched (unreachable, timed out, or not answering
 * with a key set): HTTP 503. The token may well be good, so the client must not be told it is
 * not (a 401 sends users round a login loop during a provider outage).
 */
export class IdentityProviderUnavailableError extends Error {
  override readonly name = 'IdentityProviderUnavailableError';
}

/**
 * Verifies bearer JWTs: HS256 with the configured secret locally, or RS/ES signatures against an
 * OIDC provider's JWKS in production, and reads the claim that names the person. Role and
 * directorate claims are ignored: the directory decides those ({@link DirectoryPrincipalResolver}).
 */
export class BearerTokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;

  constructor(private readonly config: AuthConfig) {
    this.key =
      config.mode === 'shared-secret'
        ? new TextEncoder().encode(config.secret)
        : providerKeys(createRemoteJWKSet(new URL(config.jwksUrl)), config.jwksUrl);
  }

  async verify(token: string): Promise<VerifiedToken> {
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
    const claim = this.config.identity.claim;
    const identity = payload[claim];
    if (typeof identity !== 'string' || identity === '') {
      throw new InvalidTokenError(claim === 'sub' ? 'token has no subject' : `token has no "${claim}" claim naming the person`);
    }
    return { identity };
  }
}

/**
 * The remote key set, with the provider's faults told apart from the token's: a key id the set
 * does not hold is the token's problem; no key set at all is the provider's.
 */
function providerKeys(remote: JWTVerifyGetKey, jwksUrl: string): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      const providerFault =
        !(error instanceof joseErrors.JOSEError) || // network errors (ECONNREFUSED, reset)
        error instanceof joseErrors.JWKSTimeout ||
        error instanceof joseErrors.JWKSInvalid ||
        error.code === joseErrors.JOSEError.code; // a non-200 answer or one that is not JSON
      if (!providerFault) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new IdentityProviderUnavailableError(`the identity provider's keys at ${jwksUrl} cannot be fetched: ${reason}`);
    }
  };
}

function describeJoseError(error: joseErrors.JOSEError): string {
  if (error instanceof joseErrors.JWTExpired) return 'token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `token claim "${error.claim}" is not accepted`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature is not valid';
  return 'token is not valid';
}
