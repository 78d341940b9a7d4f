import { HttpException, HttpStatus, Inject, Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Principal } from '@quarterly/platform';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { isPagePath } from '../../shared/json-bodies-only.middleware';
import { RateLimitedError, RedisRateLimiter } from './redis-rate-limiter';
import { WEB_API_WRITE_LIMITER } from './web-tokens';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The JSON API's writes per person per minute, counted in the same Redis as the pages' form posts
 * (so every replica shares the count): 429 with `Retry-After` beyond the limit. It runs after the
 * guards, so the count is the authenticated person's. A Redis fault lets the write through (and
 * is logged): the limit protects the service, it must not stop it.
 */
@Injectable()
export class ApiWriteRateLimitInterceptor implements NestInterceptor {
  private readonly logger = new Logger('RateLimit');

  constructor(@Inject(WEB_API_WRITE_LIMITER) private readonly limiter: RedisRateLimiter | null) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    if (this.limiter && WRITES.has(request.method) && !isPagePath(request.path) && request.principal) {
      try {
        await this.limiter.consume(`person:${request.principal.id}`);
      } catch (error) {
        if (error instanceof RateLimitedError) {
          context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(error.retryAfterSeconds));
          throw new HttpException(`too many changes: try again in ${error.retryAfterSeconds} seconds`, HttpStatus.TOO_MANY_REQUESTS);
        }
        this.logger.warn({ err: error }, 'rate limit not checked: Redis did not answer');
      }
    }
    return next.handle();
  }
}
