import { Controller, Get, Inject, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DirectoryPrincipalResolver, Public, type WebConfig } from '@quarterly/platform';
import type { Response } from 'express';
import { PageRenderer } from '../shared/page-renderer';
import { RedisRateLimiter } from '../shared/redis-rate-limiter';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { assertCsrfToken, WebPageGuard } from '../shared/web-page.guard';
import { AnonymousPage, safeReturnPath, startPageOf, type WebRequest } from '../shared/web-request';
import { WebSessionCookie } from '../shared/web-session-cookie';
import { WebSessionStore } from '../shared/web-session.store';
import { WEB_CONFIG, WEB_SIGN_IN_LIMITER } from '../shared/web-tokens';
import { errors } from 'openid-client';
import { OidcSignInClient } from './oidc-sign-in.client';

/**
 * Sign-in at the council's identity provider (authorization code + PKCE), back to the page the
 * person asked for; sign-out ends the session here and, where the provider supports it, there.
 */
@ApiExcludeController()
@Public()
@AnonymousPage()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app')
export class SignInController {
  constructor(
    private readonly sessions: WebSessionStore,
    private readonly cookie: WebSessionCookie,
    private readonly directory: DirectoryPrincipalResolver,
    private readonly pages: PageRenderer,
    @Inject(WEB_CONFIG) private readonly config: WebConfig,
    @Inject(WEB_SIGN_IN_LIMITER) private readonly limiter: RedisRateLimiter,
    @Inject(OidcSignInClient) private readonly oidc: OidcSignInClient | null,
  ) {}

  /** Each person's start page: what they most often come to do. */
  @Get()
  async home(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const personId = request.webSession?.personId;
    if (!personId) {
      response.redirect(303, '/app/sign-in');
      return;
    }
    const { roles } = await this.directory.resolve(personId, { matches: 'person-id' });
    response.redirect(303, startPageOf(roles));
  }

  @Get('sign-in')
  async signIn(@Query('returnTo') returnTo: unknown, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    if (!this.oidc) {
      response.status(503).type('html').send(this.pages.render('sign-in/not-configured.njk', { pageTitle: 'Sign-in is not set up' }));
      return;
    }
    await this.limiter.consume(`address:${request.ip ?? 'unknown'}`);
    const { url, pending } = await this.oidc.begin(safeReturnPath(returnTo));
    // A fresh session for the attempt (never one an attacker could have planted): it carries
    // the state, nonce and PKCE verifier the callback checks.
    if (request.webSession) await this.sessions.destroy(request.webSession.id);
    const session = await this.sessions.create(Date.now(), { pendingSignIn: pending });
    this.cookie.set(response, session);
    response.redirect(303, url);
  }

  @Get('auth/callback')
  async callback(@Query() query: Record<string, unknown>, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const pending = request.webSession?.pendingSignIn;
    if (!this.oidc || !pending || !request.webSession) {
      response.redirect(303, '/app/sign-in');
      return;
    }
    await this.limiter.consume(`address:${request.ip ?? 'unknown'}`);
    await this.sessions.destroy(request.webSession.id);
    const signIn = this.config.signIn!;
    let result: Awaited<ReturnType<OidcSignInClient['complete']>>;
    try {
      result = await this.oidc.complete(query, pending);
    } catch (error) {
      // The provider refused (the person cancelled, a code was replayed, state or nonce did not
      // match): a page that says so and offers to start again, not a server error.
      if (!(error instanceof errors.OPError || error instanceof errors.RPError)) throw error;
      this.cookie.clear(response);
      response.status(400).type('html').send(this.pages.render('sign-in/sign-in-failed.njk', { pageTitle: 'Sign-in did not work', returnTo: pending.returnTo }));
      return;
    }
    const { claims, idToken } = result;
    const identity = claims[signIn.identity.claim];
    if (typeof identity !== 'string' || identity === '') {
      this.cookie.clear(response);
      response.status(401).type('html').send(this.pages.render('errors/not-in-directory.njk', { pageTitle: 'Quarterly does not know you yet' }));
      return;
    }
    // Absent or deactivated: the filter explains, whatever the provider said.
    const principal = await this.directory.resolve(identity, signIn.identity);
    // A new session id at sign-in, so a session id seen before sign-in is worth nothing after.
    const session = await this.sessions.create(Date.now(), { personId: principal.id, idToken });
    this.cookie.set(response, session);
    response.redirect(303, pending.returnTo);
  }

  @Post('sign-out')
  async signOut(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const session = request.webSession;
    if (session) {
      assertCsrfToken(session.csrfToken, (request.body as Record<string, unknown> | undefined)?.['_csrf']);
      await this.sessions.destroy(session.id);
    }
    this.cookie.clear(response);
    const atProvider = this.oidc ? await this.oidc.endSessionUrl(session?.idToken).catch(() => undefined) : undefined;
    response.redirect(303, atProvider ?? '/app/signed-out');
  }

  @Get('signed-out')
  signedOut(@Res() response: Response): void {
    response.type('html').send(this.pages.render('sign-in/signed-out.njk', { pageTitle: 'You have signed out' }));
  }
}
