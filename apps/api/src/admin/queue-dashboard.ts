import type { INestApplication } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BearerAuthenticator, InvalidTokenError, NotInDirectoryError, PersonDeactivatedAccessError, type Principal } from '@quarterly/platform';
import type { ReminderRuntime } from '@quarterly/reminders';
import { parse as parseCookies } from 'cookie';
import type { NextFunction, Request, Response } from 'express';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'quarterly_admin_token';

/** The person signed in to the pages by the request's session, as the directory holds them now. */
export type SignedInPerson = (request: Request) => Promise<Principal | undefined>;

/**
 * Bull Board over the timer and mail queues, for the performance team only (active in the
 * directory). A person signed in to the pages is let in by their session cookie, so the status
 * board's link just works. A script sends a bearer token; a browser without a session can give
 * it once as `?access_token=`, which is moved into an HttpOnly, SameSite=Strict cookie scoped to
 * the dashboard, with a redirect that drops it from the address bar (and from logs and history).
 */
export function mountQueueDashboard(app: INestApplication, runtime: ReminderRuntime, authenticator: BearerAuthenticator, signedInPerson?: SignedInPerson): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(runtime.timersQueue), new BullMQAdapter(runtime.mailQueue)],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Quarterly queues' } },
  });
  app.use(QUEUE_DASHBOARD_PATH, performanceTeamOnly(authenticator, signedInPerson), serverAdapter.getRouter());
}

function performanceTeamOnly(authenticator: BearerAuthenticator, signedInPerson: SignedInPerson | undefined) {
  return async (request: Request, response: Response, next: NextFunction): Promise<void> => {
    const fromQuery = typeof request.query['access_token'] === 'string' ? request.query['access_token'] : undefined;
    const header = request.header('authorization');
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? fromQuery ?? cookieOf(request, COOKIE);
    try {
      const principal = token ? await authenticator.authenticate(token) : await signedInPerson?.(request);
      if (!principal) return problem(response, 401, 'sign in to the pages as a performance-team member, or send a bearer token (Authorization header, or ?access_token= once)');
      if (!principal.roles.includes('performance-team')) {
        return problem(response, 403, 'the queue dashboard is for the performance team');
      }
    } catch (error) {
      if (error instanceof InvalidTokenError || error instanceof NotInDirectoryError) return problem(response, 401, error.message);
      if (error instanceof PersonDeactivatedAccessError) return problem(response, 403, error.message);
      return next(error);
    }
    if (fromQuery) {
      response.cookie(COOKIE, fromQuery, { httpOnly: true, sameSite: 'strict', path: QUEUE_DASHBOARD_PATH });
      const url = new URL(request.originalUrl, 'http://dashboard.invalid');
      url.searchParams.delete('access_token');
      return response.redirect(303, `${url.pathname}${url.search}`);
    }
    next();
  };
}

function cookieOf(request: Request, name: string): string | undefined {
  return parseCookies(request.header('cookie') ?? '')[name];
}

function problem(response: Response, status: 401 | 403, detail: string): void {
  response
    .status(status)
    .type('application/problem+json')
    .json({
      type: `urn:quarterly:problem:${status === 401 ? 'unauthorized' : 'forbidden'}`,
      title: status === 401 ? 'Unauthorized' : 'Forbidden',
      status,
      detail,
      instance: QUEUE_DASHBOARD_PATH,
      code: status === 401 ? 'unauthorized' : 'forbidden',
    });
}
