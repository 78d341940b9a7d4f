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
