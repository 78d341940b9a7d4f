import type { INestApplication } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BearerAuthenticator, InvalidTokenError, NotInDirectoryError, PersonDeactivatedAccessError } from '@quarterly/platform';
import type { ReminderRuntime } from '@quarterly/reminders';
import type { NextFunction, Request, Response } from 'express';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'quarterly_admin_token';

/**
 * Bull Board over the timer and mail queues, for the performance team only. A browser cannot
 * send a bearer header, so the dashboard also takes the token once as `?access_token=`, moves it
 * into an HttpOnly, SameSite=Strict cookie scoped to the dashboard, and redirects to drop it
 * from the address bar (and from logs and history).
 */
export function mountQueueDashboard(app: INestApplication, runtime: ReminderRuntime, authenticator: BearerAuthenticator): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(runtime.timersQueue), new BullMQAdapter(runtime.mailQueue)],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Quarterly queues' } },
  });
  app.use(QUEUE_DASHBOARD_PATH, performanceTeamOnly(authenticator), serverAdapter.getRouter());
}

function performanceTeamOnly(authenticator: BearerAuthenticator) {
  return async (request: Request, response: Response, next: NextFunction): Promise<void> => {
    const fromQuery = typeof request.query['access_token'] === 'string' ? request.query['access_token'] : undefined;
    const header = request.header('authorization');
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? fromQuery ?? cookieOf(request, COOKIE);
    if (!token) return problem(response, 401, 'a bearer token is required (Authorization header, or ?access_token= once in a browser)');
    try {
      const principal = await authenticator.authenticate(token);
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
  for (const part of (request.header('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
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
