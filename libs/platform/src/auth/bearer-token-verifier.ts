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

export interface BearerTokenVerifierOptions {
  /** The clock, in milliseconds since the epoch: what "expired" is judged against. @defaultValue Date.now */
  readonly now?: () => number;
  /**
   * Tokens remembered after a successful check, so that a client sending the same token with
   * every request costs one signature check per `cacheSeconds` rather than one per request.
   * Oldest first out. 0 checks every request in full.
   * @defaultValue 10000
   */
  readonly cacheSize?: number;
  /**
   * Longest time a checked token is accepted again without checking its signature: it bounds how
   * long a signing key withdrawn from the provider's key set still lets its tokens in. A token is
   * never accepted from the cache at or after its own `exp`.
   * @defaultValue 60
   */
  readonly cacheSeconds?: number;
}

/** A token that passed every check, and until when it may be taken on trust. */
interface CheckedToken {
  readonly identity: string;
  readonly until: number;
}

/**
 * Verifies bearer JWTs: HS256 with the configured secret locally, or RS/ES signatures against an
 * OIDC provider's JWKS in production, and reads the claim that names the person. Role and
 * directorate claims are ignored: the directory decides those ({@link DirectoryPrincipalResolver}).
 *
 * A token that passed is remembered (see {@link BearerTokenVerifierOptions}): the same string
 * sent again is the same signature over the same claims, so only its lifetime is judged again,
 * against the clock, until `cacheSeconds` have passed and it is checked in full. Refusals are
 * never remembered. Who the token names is still looked up in the directory on every request.
 */
export class BearerTokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly now: () => number;
  private readonly cacheSize: number;
  private readonly cacheMs: number;
  private readonly checked = new Map<string, CheckedToken>();

  constructor(
    private readonly config: AuthConfig,
    options: BearerTokenVerifierOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.cacheSize = options.cacheSize ?? 10_000;
    this.cacheMs = (options.cacheSeconds ?? 60) * 1000;
    this.key =
      config.mode === 'shared-secret'
        ? new TextEncoder().encode(config.secret)
        : providerKeys(createRemoteJWKSet(new URL(config.jwksUrl)), config.jwksUrl);
  }

  async verify(token: string): Promise<VerifiedToken> {
    const now = this.now();
    const known = this.checked.get(token);
    if (known !== undefined) {
      if (now < known.until) return { identity: known.identity };
      this.checked.delete(token);
    }
    const verified = await this.check(token, now);
    this.remember(token, verified, now);
    return { identity: verified.identity };
  }

  /** The full check: signature, issuer, audience, lifetime, and the identity claim. */
  private async check(token: string, now: number): Promise<{ identity: string; payload: JWTPayload }> {
    let payload: JWTPayload;
    try {
      const options = {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: this.config.mode === 'shared-secret' ? ['HS256'] : ['RS256', 'ES256', 'PS256'],
        currentDate: new Date(now),
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
    return { identity, payload };
  }

  private remember(token: string, { identity, payload }: { identity: string; payload: JWTPayload }, now: number): void {
    if (this.cacheSize <= 0) return;
    const until = Math.min(now + this.cacheMs, typeof payload.exp === 'number' ? payload.exp * 1000 : Infinity);
    if (this.checked.size >= this.cacheSize) this.checked.delete(this.checked.keys().next().value!);
    this.checked.set(token, { identity, until });
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
