import type { Response } from 'express';
import type { WebSession, WebSessionStore } from './web-session.store';

/**
 * The session cookie: HttpOnly, SameSite=Lax (sent when a person follows an e-mail link, not on
 * cross-site posts), Secure when configured (then named with the `__Host-` prefix, which binds it
 * to this host and path `/`), and no longer-lived than the absolute session timeout.
 */
export class WebSessionCookie {
  readonly name: string;

  constructor(
    private readonly store: WebSessionStore,
    private readonly secure: boolean,
    private readonly maxAgeMs: number,
  ) {
    this.name = secure ? '__Host-quarterly-session' : 'quarterly-session';
  }

  set(response: Response, session: WebSession): void {
    response.cookie(this.name, this.store.cookieValueOf(session), { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/', maxAge: this.maxAgeMs });
  }

  clear(response: Response): void {
    response.clearCookie(this.name, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/' });
  }
}
