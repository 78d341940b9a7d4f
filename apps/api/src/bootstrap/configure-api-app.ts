import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createRequestValidationPipe, ProblemDetailsFilter } from '@quarterly/platform';

/**
 * Everything an API instance needs besides its modules: validation that names bad fields,
 * problem-details errors, the OpenAPI document at `/docs` (JSON at `/docs-json`), and shutdown
 * hooks so projections and timers stop cleanly. Shared by `main.ts` and the end-to-end tests.
 */
export function configureApiApp(app: INestApplication): INestApplication {
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
