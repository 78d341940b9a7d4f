import { PageNotFoundController } from './not-found/page-not-found.controller';
import { AuditPageController } from './audit/audit-page.controller';
import { IntegrityVerifications } from '../audit/integrity-verifications.service';
import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Clock, DirectoryPrincipalResolver, QuarterlyEngine, redisConnectionOptions, type AppConfig } from '@quarterly/platform';
import { Redis } from 'ioredis';
import { PdfPrinter } from '../scorecards/export/pdf-printer';
import { ScorecardExporter } from '../scorecards/export/scorecard-exporter';
import { CycleFormsController } from './cycle-forms/cycle-forms.controller';
import { ReturnDeadlineController } from './cycle-forms/return-deadline.controller';
import { PeopleFormsController } from './people-forms/people-forms.controller';
import { ImportsPageController } from './imports/imports-page.controller';
import { ImportUploadStore } from './imports/import-upload.store';
import { PastFiguresImporter } from '@quarterly/past-figures-import';
import { RegisterImporter } from '@quarterly/register-import';
import { EscalationsController } from './escalations/escalations.controller';
import { KpiFormsController } from './kpi-forms/kpi-forms.controller';
import { KpiPageController } from './kpi-page/kpi-page.controller';
import { KpiRegisterPageController } from './register/kpi-register-page.controller';
import { StatusBoardPageController } from './status-board/status-board-page.controller';
import { ReturnAuditPageController } from './return-audit/return-audit-page.controller';
import { ReturnPageController } from './return-page/return-page.controller';
import { ScorecardPageController } from './scorecard/scorecard-page.controller';
import { SmallMultipleRenderer } from './scorecard/small-multiples';
import { ReadModelMemo } from './shared/read-model-memo';
import { PageRenderer } from './shared/page-renderer';
import { RedisRateLimiter } from './shared/redis-rate-limiter';
import { ReturnWorkflowGateway } from './shared/return-workflow.gateway';
import { KpiRegisterGateway } from './shared/kpi-register.gateway';
import { WebPageExceptionFilter } from './shared/web-page-exception.filter';
import { WebPageGuard } from './shared/web-page.guard';
import { WebSessionCookie } from './shared/web-session-cookie';
import { WebSessionStore } from './shared/web-session.store';
import { WEB_API_WRITE_LIMITER, WEB_CONFIG, WEB_REDIS, WEB_SIGN_IN_LIMITER, WEB_WRITE_LIMITER } from './shared/web-tokens';
import { ApiWriteRateLimitGuard } from './shared/api-write-rate-limit.guard';
import { OidcSignInClient } from './sign-in/oidc-sign-in.client';
import { SignInController } from './sign-in/sign-in.controller';
import { ToReviewController } from './to-review/to-review.controller';
import { YourReturnsController } from './your-returns/your-returns.controller';

/** Closes the pages' Redis connection when Nest shuts down. */
class WebRedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(WEB_REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export interface WebModuleOptions {
  /** The API's whole-store verifications, shared with the audit page (one pass at a time per instance). */
  readonly integrityVerifications: IntegrityVerifications;
  /** Prefix of the pages' Redis keys (sessions, rate limits). @defaultValue 'quarterly:web:' */
  readonly redisKeyPrefix?: string;
}

/**
 * The web pages for people (sign-in, "Your returns", a return, "To review", escalations): their
 * own module and folder, beside the JSON API and calling the same commands. Sessions and rate
 * limits live in Redis, which is connected at the first page request; the JSON API's write limit
 * ({@link ApiWriteRateLimitGuard}) shares that connection.
 */
@Module({})
export class WebModule {
  static forEngine(engine: QuarterlyEngine, config: AppConfig, clock: Clock, options: WebModuleOptions): DynamicModule {
    const prefix = options.redisKeyPrefix ?? 'quarterly:web:';
    const absoluteMs = config.web.sessionAbsoluteHours * 3_600_000;
    return {
      module: WebModule,
      controllers: [SignInController, YourReturnsController, ToReviewController, EscalationsController, ReturnAuditPageController, ReturnDeadlineController, ReturnPageController, ScorecardPageController, KpiRegisterPageController, KpiFormsController, KpiPageController, StatusBoardPageController, CycleFormsController, PeopleFormsController, ImportsPageController, AuditPageController,
        // Last: any other /app address is a page that does not exist.
        PageNotFoundController,
      ],
      providers: [
        { provide: QuarterlyEngine, useValue: engine },
        { provide: Clock, useValue: clock },
        { provide: WEB_CONFIG, useValue: config.web },
        { provide: DirectoryPrincipalResolver, useValue: new DirectoryPrincipalResolver(engine.executor, engine.readModels) },
        {
          provide: WEB_REDIS,
          // A page waits at most a couple of retries for Redis, then shows the error page.
          useFactory: () => new Redis({ ...redisConnectionOptions(config.redis), lazyConnect: true, maxRetriesPerRequest: 2 }),
        },
        {
          provide: WebSessionStore,
          useFactory: (redis: Redis) =>
            new WebSessionStore(redis, config.web.sessionSecret, { idleMs: config.web.sessionIdleMinutes * 60_000, absoluteMs }, `${prefix}session:`),
          inject: [WEB_REDIS],
        },
        { provide: WebSessionCookie, useFactory: (store: WebSessionStore) => new WebSessionCookie(store, config.web.secureCookies, absoluteMs), inject: [WebSessionStore] },
        { provide: WEB_SIGN_IN_LIMITER, useFactory: (redis: Redis) => new RedisRateLimiter(redis, 'sign-in', config.web.signInPerMinute, 60_000, `${prefix}rate:`), inject: [WEB_REDIS] },
        { provide: WEB_WRITE_LIMITER, useFactory: (redis: Redis) => new RedisRateLimiter(redis, 'writes', config.web.writesPerMinute, 60_000, `${prefix}rate:`), inject: [WEB_REDIS] },
        {
          provide: WEB_API_WRITE_LIMITER,
          useFactory: (redis: Redis) => (config.web.apiWritesPerMinute > 0 ? new RedisRateLimiter(redis, 'api-writes', config.web.apiWritesPerMinute, 60_000, `${prefix}rate:`) : null),
          inject: [WEB_REDIS],
        },
        { provide: APP_GUARD, useClass: ApiWriteRateLimitGuard },
        { provide: OidcSignInClient, useValue: config.web.signIn ? new OidcSignInClient(config.web.signIn, config.publicBaseUrl) : null },
        WebRedisLifecycle,
        PageRenderer,
        // The imports' pages call the same importers as the JSON API and the command line.
        { provide: RegisterImporter, useValue: new RegisterImporter(engine) },
        { provide: PastFiguresImporter, useValue: new PastFiguresImporter(engine) },
        { provide: ImportUploadStore, useFactory: (redis: Redis) => new ImportUploadStore(redis, prefix), inject: [WEB_REDIS] },
        // Scorecard files for the pages and the JSON API alike (exported below).
        { provide: ScorecardExporter, useFactory: (pages: PageRenderer) => new ScorecardExporter(config.councilName, pages, new PdfPrinter()), inject: [PageRenderer] },
        ReturnWorkflowGateway,
        KpiRegisterGateway,
        SmallMultipleRenderer,
        ReadModelMemo,
        WebPageGuard,
        WebPageExceptionFilter,
        { provide: IntegrityVerifications, useValue: options.integrityVerifications },
      ],
      exports: [ScorecardExporter],
    };
  }
}
