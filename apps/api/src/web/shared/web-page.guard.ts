import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DirectoryPrincipalResolver, NotInDirectoryError, PersonDeactivatedAccessError } from '@quarterly/platform';
import { parse as parseCookies } from 'cookie';
import { timingSafeEqual } from 'node:crypto';
import { RedisRateLimiter } from './redis-rate-limiter';
import { ANONYMOUS_PAGE, CsrfTokenInvalidError, SignInRequiredError, type WebRequest } from './web-request';
import { WebSessionStore } from './web-session.store';
import { WebSessionCookie } from './web-session-cookie';
import { WEB_WRITE_LIMITER } from './web-tokens';

/**
 * Every page: loads the session from its cookie; outside the sign-in pages, requires a signed-in
 * person who is still active in the directory (their roles and directorate read from it for this
 * request); and on every form post checks the session's CSRF token and the write rate limit.
 */
@Injectable()
export class WebPageGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: WebSessionStore,
    private readonly directory: DirectoryPrincipalResolver,
    private readonly cookie: WebSessionCookie,
    @Inject(WEB_WRITE_LIMITER) private readonly writes: RedisRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WebRequest>();
    const cookie = parseCookies(request.headers.cookie ?? '')[this.cookie.name];
    request.webSession = await this.sessions.load(cookie, Date.now());
    if (this.reflector.getAllAndOverride<boolean>(ANONYMOUS_PAGE, [context.getHandler(), context.getClass()])) return true;

    const session = request.webSession;
    if (!session?.personId) throw new SignInRequiredError(request.method === 'GET' ? request.originalUrl : '/app');
    try {
      request.principal = await this.directory.resolve(session.personId, { matches: 'person-id' });
    } catch (error) {
      if (error instanceof PersonDeactivatedAccessError || error instanceof NotInDirectoryError) await this.sessions.destroy(session.id);
      throw error;
    }
    if (request.method === 'POST') {
      assertCsrfToken(session.csrfToken, (request.body as Record<string, unknown> | undefined)?.['_csrf']);
      await this.writes.consume(`person:${session.personId}`);
    }
    return true;
  }
}

export function assertCsrfToken(expected: string, given: unknown): void {
  const a = Buffer.from(expected);
  const b = Buffer.from(typeof given === 'string' ? given : '');
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new CsrfTokenInvalidError();
}
