import { HttpException, HttpStatus, Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@quarterly/platform';
import type { Request, Response } from 'express';
import { isPagePath } from '../../shared/json-bodies-only.middleware';
import { RateLimitedError, RedisRateLimiter } from './redis-rate-limiter';
import { WEB_API_WRITE_LIMITER } from './web-tokens';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The JSON API's writes per person per minute, counted in the same Redis as the pages' form posts
 * (so every replica shares the count): 429 with `Retry-After` beyond the limit. A global guard
 * registered by the web module, so it runs after the API module's `BearerAuthGuard` (Nest applies
 * the root module's global guards first) and counts the authenticated person's writes; a route
 * without a principal (public) is not counted. A Redis fault lets the write through (and is
 * logged): the limit protects the service, it must not stop it.
 *
 * A guard rather than an interceptor: with no interceptor at all Nest calls the handler directly,
 * without the RxJS pipeline and `AsyncResource.bind` it wraps around every request otherwise (about
 * 6 % of the API's CPU per command in the profile of 30 November).
 */
@Injectable()
export class ApiWriteRateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimit');

  constructor(@Inject(WEB_API_WRITE_LIMITER) private readonly limiter: RedisRateLimiter | null) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.limiter) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    if (WRITES.has(request.method) && !isPagePath(request.path) && request.principal) {
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
    return true;
  }
}
