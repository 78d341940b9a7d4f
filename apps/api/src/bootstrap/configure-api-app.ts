import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import { correlationIdMiddleware, createRequestValidationPipe, httpMetricsMiddleware, ProblemDetailsFilter, QuarterlyEngine, refuseDuplicateJsonKeys } from '@quarterly/platform';

/**
 * Everything an API instance needs besides its modules: a correlation id on every request
 * (`X-Correlation-Id`) and its latency in `/metrics`, JSON bodies with each key once, validation
 * that names bad fields, problem-details errors, the OpenAPI document at `/docs` (JSON at
 * `/docs-json`), and shutdown hooks so projections and timers stop cleanly. Shared by `main.ts`
 * and the end-to-end tests.
 */
export function configureApiApp(app: INestApplication): INestApplication {
  app.use(correlationIdMiddleware());
  app.use(httpMetricsMiddleware(app.get(QuarterlyEngine).metrics));
  // Takes the place of Nest's default JSON parser (added at init only when no `jsonParser` is
  // mounted, and its typed options leave out `verify`): a duplicated key is a 400 naming it.
  app.use(json({ verify: refuseDuplicateJsonKeys }));
  app.useGlobalPipes(createRequestValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Quarterly')
      .setDescription(
        'Event-sourced quarterly performance reporting for English councils: the KPI register, ' +
          'reporting cycles, returns and their review, scorecards, value history and audit.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  return app;
}
