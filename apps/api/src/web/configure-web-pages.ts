import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from '@quarterly/platform';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPagePath, jsonBodiesOnly } from '../shared/json-bodies-only.middleware';
import { govukFrontendDist, mojFrontendFolder } from './shared/page-renderer';
import { importUploads } from './imports/import-upload.middleware';

/**
 * What the pages need from the HTTP server, below Nest's routing (so it runs before Nest's body
 * parsers): `trust proxy`, no `X-Powered-By`, security headers with a content security policy
 * that allows no inline script, the GOV.UK assets served from here, form bodies on `/app` only,
 * and JSON only everywhere else.
 */
export function configureWebPages(app: INestApplication, config: AppConfig, identityProviderOrigin: string | undefined): void {
  const server = app.getHttpAdapter().getInstance() as Express;
  server.disable('x-powered-by');
  server.set('trust proxy', config.web.trustProxy);
  app.use(jsonBodiesOnly);

  const pageSecurity = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        // Sign-out posts a form whose answer redirects to the identity provider.
        'form-action': ["'self'", ...(identityProviderOrigin ? [identityProviderOrigin] : [])],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
        'object-src': ["'none'"],
        ...(config.web.secureCookies ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: config.web.secureCookies,
    referrerPolicy: { policy: 'same-origin' },
  });
  app.use((request: Request, response: Response, next: NextFunction) => (isPagePath(request.path) ? pageSecurity(request, response, next) : next()));
  app.use('/app', express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 100 }));
  // The imports' file uploads (multipart), read before the page guard checks their CSRF token.
  app.use('/app/imports', importUploads);
  app.use('/app', (_request: Request, response: Response, next: NextFunction) => {
    // Pages show a person's own returns: never keep them in a shared cache.
    response.setHeader('Cache-Control', 'no-store');
    next();
  });

  const govuk = join(govukFrontendDist(), 'govuk');
  // govuk-frontend's stylesheet with its asset paths under /app/assets, and without the GDS
  // Transport typeface, which only GOV.UK services may use (councils' services fall back to Arial).
  const forCouncils = (css: string) =>
    css.replaceAll('url(/assets/', 'url(/app/assets/').replaceAll('"GDS Transport",arial', 'arial').replaceAll('GDS Transport,arial', 'arial');
  const stylesheet = forCouncils(readFileSync(join(govuk, 'govuk-frontend.min.css'), 'utf8'));
  const mojStylesheet = forCouncils(readFileSync(join(mojFrontendFolder(), 'moj', 'moj-frontend.min.css'), 'utf8'));
  const cacheable = { maxAge: '1h', fallthrough: false, index: false } as const;
  app.use('/app/assets/govuk-frontend.min.css', (_request: Request, response: Response) => {
    response.type('css').setHeader('Cache-Control', 'public, max-age=3600').send(stylesheet);
  });
  app.use('/app/assets/moj-frontend.min.css', (_request: Request, response: Response) => {
    response.type('css').setHeader('Cache-Control', 'public, max-age=3600').send(mojStylesheet);
  });
  app.use('/app/assets/govuk-frontend.min.js', (_request: Request, response: Response) => response.sendFile(join(govuk, 'govuk-frontend.min.js'), { maxAge: '1h' }));
  app.use('/app/assets/images', express.static(join(govuk, 'assets', 'images'), cacheable));
  app.use('/app/assets/app', express.static(join(__dirname, 'assets'), { ...cacheable, fallthrough: true }));
  app.use('/app/assets/app', express.static(join(__dirname, 'web', 'assets'), cacheable));
  app.use('/', (request: Request, response: Response, next: NextFunction) => (request.method === 'GET' && request.path === '/' ? response.redirect(303, '/app') : next()));
}
