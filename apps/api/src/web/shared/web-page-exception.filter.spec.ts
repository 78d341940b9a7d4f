import { Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { ValidationError } from '@quarterly/domain';
import { PageRenderer } from './page-renderer';
import { WebPageExceptionFilter } from './web-page-exception.filter';
import { SignInRequiredError } from './web-request';

function exchange(url = '/app/your-returns', method = 'GET') {
  const sent: { status?: number; body?: string; location?: string } = {};
  const response = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    type() {
      return this;
    },
    send(body: string) {
      sent.body = body;
      return this;
    },
    setHeader() {
      return this;
    },
    redirect(code: number, location: string) {
      sent.status = code;
      sent.location = location;
    },
  };
  const host = { switchToHttp: () => ({ getRequest: () => ({ originalUrl: url, path: url.split('?')[0], method }), getResponse: () => response }) } as unknown as ArgumentsHost;
  return { host, sent };
}

describe('pages for errors', () => {
  const filter = new WebPageExceptionFilter(new PageRenderer());

  it('shows a 500 page with a reference that the log line carries too', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { host, sent } = exchange();
    filter.catch(new Error('database on fire'), host);
    expect(sent.status).toBe(500);
    const reference = /data-reference>([0-9A-F]{8})</.exec(sent.body ?? '')?.[1];
    expect(reference).toBeDefined();
    expect(sent.body).not.toContain('database on fire');
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ reference }), expect.stringContaining(`reference ${reference}`));
    logged.mockRestore();
  });

  it('shows a 404 page in the same style', () => {
    const { host, sent } = exchange();
    filter.catch(new NotFoundException('no return of X-01'), host);
    expect(sent.status).toBe(404);
    expect(sent.body).toContain('<h1 class="govuk-heading-l">Page not found</h1>');
    expect(sent.body).not.toContain('X-01');
  });

  it('shows a page address naming a quarter that cannot exist as a page not found; a form field as a refusal', () => {
    const badPeriod = new ValidationError('period', 'expected a period like 2024-25-Q2');
    const page = exchange('/app/returns/ENV-01/2026-27-Q9');
    filter.catch(badPeriod, page.host);
    expect(page.sent.status).toBe(404);
    expect(page.sent.body).toContain('If you followed a link from an e-mail');
    const posted = exchange('/app/cycles/new', 'POST');
    filter.catch(new ValidationError('period', 'expected a period like 2024-25-Q2'), posted.host);
    expect(posted.sent.status).toBe(400);
  });

  it('says what is wrong with an "as at" in the address', () => {
    const { host, sent } = exchange('/app/scorecards/2026-27-Q2?asAt=yesterday');
    filter.catch(new ValidationError('asAt', 'must be written like 2026-10-09T11:00 (London time)'), host);
    expect(sent.status).toBe(400);
    expect(sent.body).toContain('The “as at” date and time must be written like 2026-10-09T11:00 (London time).');
  });

  it('sends a person who is not signed in to sign-in, and back afterwards', () => {
    const { host, sent } = exchange();
    filter.catch(new SignInRequiredError('/app/returns/ENV-01/2026-27-Q2'), host);
    expect(sent).toMatchObject({ status: 303, location: '/app/sign-in?returnTo=%2Fapp%2Freturns%2FENV-01%2F2026-27-Q2' });
  });
});
