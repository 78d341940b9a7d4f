import type { WebSignInConfig } from '@quarterly/platform';
import { generators, Issuer, type BaseClient } from 'openid-client';
import type { PendingSignIn } from '../shared/web-session.store';

/** What the provider's callback proved: the ID token's claims, and the token for sign-out. */
export interface SignInResult {
  readonly claims: Readonly<Record<string, unknown>>;
  readonly idToken: string;
}

/**
 * The council's identity provider, through openid-client (its CommonJS line, v5): discovery,
 * the authorization-code flow with PKCE (S256), state and nonce checked on the way back, and
 * RP-initiated sign-out when the provider publishes an `end_session_endpoint`. Discovery happens
 * at the first sign-in and is retried after a failure, so the API starts while the provider is down.
 */
export class OidcSignInClient {
  private client?: Promise<BaseClient>;

  constructor(
    private readonly config: WebSignInConfig,
    private readonly publicBaseUrl: string,
  ) {}

  get callbackUrl(): string {
    return `${this.publicBaseUrl}/app/auth/callback`;
  }

  get signedOutUrl(): string {
    return `${this.publicBaseUrl}/app/signed-out`;
  }

  /** Where to send the browser, and what the callback must check. */
  async begin(returnTo: string): Promise<{ url: string; pending: PendingSignIn }> {
    const client = await this.discovered();
    const pending: PendingSignIn = { state: generators.state(), nonce: generators.nonce(), codeVerifier: generators.codeVerifier(), returnTo };
    const url = client.authorizationUrl({
      scope: 'openid email profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: generators.codeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, pending };
  }

  /** Exchanges the code (with the PKCE verifier) and checks state, nonce and the ID token. */
  async complete(callbackQuery: Record<string, unknown>, pending: PendingSignIn): Promise<SignInResult> {
    const client = await this.discovered();
    const params = client.callbackParams({ method: 'GET', url: `/?${new URLSearchParams(callbackQuery as Record<string, string>)}` } as never);
    const tokens = await client.callback(this.callbackUrl, params, { state: pending.state, nonce: pending.nonce, code_verifier: pending.codeVerifier });
    if (!tokens.id_token) throw new Error('the identity provider sent no ID token');
    return { claims: tokens.claims(), idToken: tokens.id_token };
  }

  /** The provider's sign-out address (RP-initiated logout), or undefined when it has none. */
  async endSessionUrl(idToken: string | undefined): Promise<string | undefined> {
    const client = await this.discovered();
    if (!client.issuer.metadata.end_session_endpoint) return undefined;
    return client.endSessionUrl({ ...(idToken ? { id_token_hint: idToken } : {}), post_logout_redirect_uri: this.signedOutUrl });
  }

  /** The provider's origin, which the pages' content security policy lets forms go to (sign-out). */
  get providerOrigin(): string {
    return new URL(this.config.discoveryUrl).origin;
  }

  private discovered(): Promise<BaseClient> {
    this.client ??= Issuer.discover(this.config.discoveryUrl).then(
      (issuer) =>
        new issuer.Client({
          client_id: this.config.clientId,
          ...(this.config.clientSecret ? { client_secret: this.config.clientSecret } : { token_endpoint_auth_method: 'none' }),
          redirect_uris: [this.callbackUrl],
          post_logout_redirect_uris: [this.signedOutUrl],
          response_types: ['code'],
        }),
      (error: unknown) => {
        this.client = undefined;
        throw error;
      },
    );
    return this.client;
  }
}
