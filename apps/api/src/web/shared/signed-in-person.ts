import type { DirectoryPrincipalResolver, Principal } from '@quarterly/platform';
import { parse as parseCookies } from 'cookie';
import type { Request } from 'express';
import type { WebSessionStore } from './web-session.store';
import type { WebSessionCookie } from './web-session-cookie';

/**
 * The person signed in to the pages by the request's session cookie, as the directory holds them
 * now (a deactivated person is refused by the resolver); undefined without a signed-in session.
 * For routes outside the pages' controllers that still serve people in a browser (the queue
 * dashboard).
 */
export function signedInPersonFrom(sessions: WebSessionStore, cookie: WebSessionCookie, directory: DirectoryPrincipalResolver) {
  return async (request: Request): Promise<Principal | undefined> => {
    const session = await sessions.load(parseCookies(request.header('cookie') ?? '')[cookie.name], Date.now());
    if (!session?.personId) return undefined;
    return directory.resolve(session.personId, { matches: 'person-id' });
  };
}
