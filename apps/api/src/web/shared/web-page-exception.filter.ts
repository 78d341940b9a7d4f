import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ValidationError } from '@quarterly/domain';
import { NotInDirectoryError, PersonDeactivatedAccessError, ProblemDetailsFilter } from '@quarterly/platform';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import { PageRenderer } from './page-renderer';
import { plainEnglishOf } from '../../shared/plain-english';
import { RateLimitedError } from './redis-rate-limiter';
import { CsrfTokenInvalidError, layoutPrincipalOf, SignInRequiredError, type WebRequest } from './web-request';

/**
 * Errors on pages become pages in the same style: sign in when needed, then 403, 404, 429 and
 * 500 pages in plain English. A 500 shows a reference that the log line carries too, so a
 * person's report can be matched to the error.
 */
@Catch()
export class WebPageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebPages');
  private readonly problems = new ProblemDetailsFilter();

  constructor(private readonly pages: PageRenderer) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<WebRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (error instanceof SignInRequiredError) {
      response.redirect(303, `/app/sign-in?returnTo=${encodeURIComponent(error.returnTo)}`);
      return;
    }
    const principal = request.principal ? layoutPrincipalOf(request.principal) : undefined;
    const csrfToken = request.webSession?.csrfToken;
    const show = (status: number, template: string, model: Record<string, unknown>) =>
      response.status(status).type('html').send(this.pages.render(template, { principal, csrfToken, ...model }));

    if (error instanceof PersonDeactivatedAccessError) {
      return void show(403, 'errors/access-removed.njk', { pageTitle: 'Your access to Quarterly has been removed' });
    }
    if (error instanceof NotInDirectoryError) {
      return void show(401, 'errors/not-in-directory.njk', { pageTitle: 'Quarterly does not know you yet' });
    }
    if (error instanceof CsrfTokenInvalidError) {
      return void show(403, 'errors/form-expired.njk', { pageTitle: 'This form has expired' });
    }
    if (error instanceof RateLimitedError) {
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
      return void show(429, 'errors/too-many.njk', { pageTitle: 'Too many requests', retryAfterSeconds: error.retryAfterSeconds });
    }
    const problem = this.problems.toProblem(error, request.originalUrl);
    if (problem.status === 404 || isAddressThatCannotExist(error, request)) return void show(404, 'errors/not-found.njk', { pageTitle: 'Page not found', aboutReturns: request.path.startsWith('/app/returns') });
    if (problem.status === 403) return void show(403, 'errors/forbidden.njk', { pageTitle: 'You cannot see this page', message: plainEnglishOf(problem), aboutReturns: request.path.startsWith('/app/returns') });
    if (problem.status < 500) {
      const message = error instanceof ValidationError && INSTANT_QUERY_WORDS[error.field] ? `${INSTANT_QUERY_WORDS[error.field]} ${error.reason}.` : plainEnglishOf(problem);
      return void show(problem.status, 'errors/refused.njk', { pageTitle: 'This could not be done', message });
    }
    const reference = randomBytes(4).toString('hex').toUpperCase();
    this.logger.error({ err: error, reference, path: request.originalUrl }, `page failed (reference ${reference}): ${error instanceof Error ? error.message : String(error)}`);
    show(500, 'errors/server-error.njk', { pageTitle: 'Sorry, there is a problem with the service', reference });
  }
}

/** The instants a page's address may carry, in the words of the page's controls. */
const INSTANT_QUERY_WORDS: Readonly<Record<string, string>> = { asAt: 'The “as at” date and time', since: 'The “changed since” date and time' };

/** The parts of a page's address that name what it shows (`/app/returns/:kpiId/:period`). */
const ADDRESS_PARTS = new Set(['period', 'periodId', 'cycleId', 'financialYear', 'kpiId']);

/**
 * A page asked for at an address no page can have (`/app/returns/PH-01/2026-27-Q9`): for the
 * person who typed or followed it, a page that does not exist, as for an unknown indicator.
 */
function isAddressThatCannotExist(error: unknown, request: WebRequest): boolean {
  return request.method === 'GET' && error instanceof ValidationError && ADDRESS_PARTS.has(error.field);
}
