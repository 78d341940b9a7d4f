import { SignJWT } from 'jose';
import { loadAppConfig } from '../config/app-config';
import { BearerTokenVerifier, InvalidTokenError } from './bearer-token-verifier';
import { LocalTokenIssuer } from './local-token-issuer';

const config = loadAppConfig({ JWT_SECRET: 'a-test-secret-that-is-long-enough-1234567890' });

describe('bearer tokens in shared-secret mode', () => {
  const issuer = new LocalTokenIssuer(config.auth);
  const verifier = new BearerTokenVerifier(config.auth);

  it('round-trips the principal: id, roles and directorate', async () => {
    const token = await issuer.issue({ id: 'd.patel', roles: ['dmt'], directorate: 'Place', name: 'Dev Patel' });
    await expect(verifier.verify(token)).resolves.toEqual({ id: 'd.patel', roles: ['dmt'], directorate: 'Place', name: 'Dev Patel' });
  });

  it('drops role names it does not know instead of trusting them', async () => {
    const token = await new SignJWT({ roles: ['dmt', 'superuser'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x.y')
      .setIssuer('quarterly-local')
      .setAudience('quarterly-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-test-secret-that-is-long-enough-1234567890'));
    await expect(verifier.verify(token)).resolves.toMatchObject({ roles: ['dmt'] });
  });

  it('refuses a token signed with another secret', async () => {
    const other = new LocalTokenIssuer(loadAppConfig({ JWT_SECRET: 'another-secret-that-is-also-long-enough-0987' }).auth);
    const token = await other.issue({ id: 'a.b', roles: ['performance-team'] });
    await expect(verifier.verify(token)).rejects.toThrow(new InvalidTokenError('token signature is not valid'));
  });

  it('refuses an expired token', async () => {
    const token = await issuer.issue({ id: 'a.b', roles: ['auditor'] }, { expiresInSeconds: 1, now: new Date('2020-01-01T00:00:00Z') });
    await expect(verifier.verify(token)).rejects.toThrow('token has expired');
  });

  it('refuses garbage', async () => {
    await expect(verifier.verify('not-a-jwt')).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
