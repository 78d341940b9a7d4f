import { SignJWT } from 'jose';
import { loadAppConfig } from '../config/app-config';
import { BearerTokenVerifier, InvalidTokenError } from './bearer-token-verifier';
import { LocalTokenIssuer } from './local-token-issuer';

const SECRET = 'a-test-secret-that-is-long-enough-1234567890';
const config = loadAppConfig({ JWT_SECRET: SECRET });

function signed(claims: Record<string, unknown>, subject?: string): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('quarterly-local').setAudience('quarterly-api').setExpirationTime('1h');
  return (subject ? jwt.setSubject(subject) : jwt).sign(new TextEncoder().encode(SECRET));
}

describe('bearer tokens in shared-secret mode', () => {
  const issuer = new LocalTokenIssuer(config.auth);
  const verifier = new BearerTokenVerifier(config.auth);

  it('round-trips who the token names, and only that', async () => {
    const token = await issuer.issue({ id: 'd.patel', name: 'Dev Patel' });
    await expect(verifier.verify(token)).resolves.toEqual({ identity: 'd.patel' });
  });

  it('ignores role and directorate claims: the directory decides them', async () => {
    const token = await signed({ roles: ['performance-team'], directorate: 'Place' }, 'x.y');
    await expect(verifier.verify(token)).resolves.toEqual({ identity: 'x.y' });
  });

  it('refuses a token without a subject', async () => {
    await expect(verifier.verify(await signed({ roles: ['dmt'] }))).rejects.toThrow(new InvalidTokenError('token has no subject'));
  });

  it('refuses a token signed with another secret', async () => {
    const other = new LocalTokenIssuer(loadAppConfig({ JWT_SECRET: 'another-secret-that-is-also-long-enough-0987' }).auth);
    const token = await other.issue({ id: 'a.b' });
    await expect(verifier.verify(token)).rejects.toThrow(new InvalidTokenError('token signature is not valid'));
  });

  it('refuses an expired token', async () => {
    const token = await issuer.issue({ id: 'a.b' }, { expiresInSeconds: 1, now: new Date('2020-01-01T00:00:00Z') });
    await expect(verifier.verify(token)).rejects.toThrow('token has expired');
  });

  it('refuses garbage', async () => {
    await expect(verifier.verify('not-a-jwt')).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

describe('bearer tokens checked before', () => {
  const issuer = new LocalTokenIssuer(config.auth);
  const issuedAt = new Date('2026-11-30T09:00:00Z');

  /** A verifier whose clock the test moves. */
  function verifierAt(clock: { now: number }, options: { cacheSeconds?: number } = {}) {
    return new BearerTokenVerifier(config.auth, { now: () => clock.now, ...options });
  }

  it('accepts a token it checked again until the token expires, and not at its expiry', async () => {
    const clock = { now: issuedAt.getTime() };
    const verifier = verifierAt(clock, { cacheSeconds: 3600 });
    const token = await issuer.issue({ id: 'd.patel' }, { expiresInSeconds: 120, now: issuedAt });
    await expect(verifier.verify(token)).resolves.toEqual({ identity: 'd.patel' });

    clock.now += 119_000;
    await expect(verifier.verify(token)).resolves.toEqual({ identity: 'd.patel' });
    clock.now += 1_000;
    await expect(verifier.verify(token)).rejects.toThrow('token has expired');
  });

  it('checks a token in full again once it has been trusted for cacheSeconds, with the same answer', async () => {
    const clock = { now: issuedAt.getTime() };
    const verifier = verifierAt(clock, { cacheSeconds: 1 });
    const token = await issuer.issue({ id: 'd.patel' }, { expiresInSeconds: 120, now: issuedAt });
    await verifier.verify(token);

    clock.now += 5_000;
    await expect(verifier.verify(token)).resolves.toEqual({ identity: 'd.patel' });
    clock.now += 200_000;
    await expect(verifier.verify(token)).rejects.toThrow('token has expired');
  });

  it('never remembers a refusal: a token refused as not yet valid is accepted once it is', async () => {
    const clock = { now: issuedAt.getTime() - 60_000 };
    const verifier = verifierAt(clock);
    const token = await signedAt({ nbf: Math.floor(issuedAt.getTime() / 1000) }, 'd.patel', issuedAt);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);

    clock.now = issuedAt.getTime();
    await expect(verifier.verify(token)).resolves.toEqual({ identity: 'd.patel' });
  });
});

function signedAt(claims: Record<string, unknown>, subject: string, at: Date): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('quarterly-local')
    .setAudience('quarterly-api')
    .setIssuedAt(Math.floor(at.getTime() / 1000))
    .setExpirationTime(Math.floor(at.getTime() / 1000) + 3600)
    .setSubject(subject)
    .sign(new TextEncoder().encode(SECRET));
}
