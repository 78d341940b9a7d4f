import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { loadAppConfig } from '../config/app-config';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { BearerTokenVerifier, IdentityProviderUnavailableError, InvalidTokenError } from './bearer-token-verifier';

// OIDC mode against a real JWKS endpoint on loopback: the verifier fetches the provider's keys
// over HTTP exactly as it would from Entra ID or Keycloak.

const ISSUER = 'https://login.council.example/realms/staff';
const AUDIENCE = 'quarterly-api';
const KID = 'council-signing-key-2026';

interface JwksServer {
  readonly url: string;
  /** How many times the key set was fetched. */
  readonly fetches: () => number;
  /** What the endpoint answers from now on. */
  respondWith(status: number, body: string): void;
  close(): Promise<void>;
}

async function startJwksServer(keys: object[]): Promise<JwksServer> {
  let fetches = 0;
  let status = 200;
  let body = JSON.stringify({ keys });
  const server: Server = createServer((request, response) => {
    fetches += 1;
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    fetches: () => fetches,
    respondWith: (nextStatus, nextBody) => {
      status = nextStatus;
      body = nextBody;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function oidcVerifier(jwksUrl: string, env: Record<string, string> = {}): BearerTokenVerifier {
  return new BearerTokenVerifier(loadAppConfig({ OIDC_JWKS_URL: jwksUrl, OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE, ...env }).auth);
}

function token(key: KeyLike | Uint8Array, options: { alg?: string; kid?: string; issuer?: string; audience?: string; claims?: JWTPayload; expiresAt?: number } = {}) {
  // As Microsoft Entra ID issues them: `sub` is pairwise (differs per application), `oid` is the
  // person's stable id; role and directorate claims are ignored (the directory decides those).
  return new SignJWT({ oid: 'd.place', email: 'Dana.Place@council.example', roles: ['performance-team'], directorate: 'Place', name: 'Dana Place', ...options.claims })
    .setProtectedHeader({ alg: options.alg ?? 'RS256', ...(options.kid === '' ? {} : { kid: options.kid ?? KID }) })
    .setSubject('pairwise-8c1f0b7e')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresAt ?? '10m')
    .sign(key);
}

describe('bearer tokens in OIDC mode (JWKS over HTTP on loopback)', () => {
  let signing: { privateKey: KeyLike; publicKey: KeyLike };
  let jwks: JwksServer;
  let verifier: BearerTokenVerifier;

  beforeAll(async () => {
    signing = await generateKeyPair('RS256');
    jwks = await startJwksServer([{ ...(await exportJWK(signing.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }]);
    verifier = oidcVerifier(jwks.url);
  });

  afterAll(async () => {
    await jwks?.close();
  });

  it("accepts an RS256 token signed with the provider's key, naming the person by its `oid` claim (not `sub`)", async () => {
    await expect(verifier.verify(await token(signing.privateKey))).resolves.toEqual({ identity: 'd.place' });
    expect(jwks.fetches()).toBeGreaterThanOrEqual(1);
  });

  it('names the person by the configured claim, and refuses a token without it', async () => {
    await expect(oidcVerifier(jwks.url, { OIDC_IDENTITY_CLAIM: 'email' }).verify(await token(signing.privateKey))).resolves.toEqual({
      identity: 'Dana.Place@council.example',
    });
    await expect(verifier.verify(await token(signing.privateKey, { claims: { oid: undefined } }))).rejects.toThrow(
      new InvalidTokenError('token has no "oid" claim naming the person'),
    );
  });

  it('refuses a token from another issuer or for another audience', async () => {
    await expect(verifier.verify(await token(signing.privateKey, { issuer: 'https://evil.example' }))).rejects.toThrow(
      new InvalidTokenError('token claim "iss" is not accepted'),
    );
    await expect(verifier.verify(await token(signing.privateKey, { audience: 'another-api' }))).rejects.toThrow(
      new InvalidTokenError('token claim "aud" is not accepted'),
    );
  });

  it('refuses an expired token', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) - 3600;
    await expect(verifier.verify(await token(signing.privateKey, { expiresAt }))).rejects.toThrow(new InvalidTokenError('token has expired'));
  });

  it('refuses a token whose key id the provider does not publish, and one signed by another key under the known id', async () => {
    const other = await generateKeyPair('RS256');
    await expect(verifier.verify(await token(other.privateKey, { kid: 'rotated-away' }))).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verify(await token(other.privateKey))).rejects.toThrow(new InvalidTokenError('token signature is not valid'));
  });

  it('refuses HS256, including a token "signed" with the public key as a shared secret', async () => {
    const pem = new TextEncoder().encode(await exportSPKI(signing.publicKey));
    await expect(verifier.verify(await token(pem, { alg: 'HS256' }))).rejects.toBeInstanceOf(InvalidTokenError);
    const guessable = new TextEncoder().encode('a-shared-secret-that-an-attacker-might-guess-123');
    await expect(verifier.verify(await token(guessable, { alg: 'HS256', kid: '' }))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  describe('when the provider cannot serve its keys', () => {
    it('says the identity provider is unavailable (503), not that the token is bad, when nothing listens', async () => {
      const closed = await startJwksServer([]);
      const url = closed.url;
      await closed.close();
      const error = await oidcVerifier(url).verify(await token(signing.privateKey)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdentityProviderUnavailableError);
      expect(new ProblemDetailsFilter().toProblem(error, '/kpis')).toMatchObject({ status: 503, code: 'identity_provider_unavailable' });
    });

    it('says the same when the endpoint answers 500 or something that is not a key set', async () => {
      const failing = await startJwksServer([]);
      try {
        failing.respondWith(500, 'upstream error');
        await expect(oidcVerifier(failing.url).verify(await token(signing.privateKey))).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
        failing.respondWith(200, '<html>login page</html>');
        await expect(oidcVerifier(failing.url).verify(await token(signing.privateKey))).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
        failing.respondWith(200, JSON.stringify({ keys: 'none' }));
        await expect(oidcVerifier(failing.url).verify(await token(signing.privateKey))).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
      } finally {
        await failing.close();
      }
    });
  });
});
