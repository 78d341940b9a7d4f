import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { DomainError } from '@quarterly/domain';
import { EventStoreUnavailableError } from '@quarterly/event-store';
import { isReadModelUnavailable, ProjectionStoppedError, ProjectionTimeoutError } from '@quarterly/read-models';
import type { Request, Response } from 'express';
import { IdentityProviderUnavailableError } from '../auth/bearer-token-verifier';
import { ConcurrentChangeError, IdempotencyKeyReusedError, StaleRevisionError } from '../commands/event-sourced-command-executor';
import { RequestValidationError, type FieldProblem } from './request-validation.error';

/** RFC 9457 problem details, with the extension members clients need to act on them. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  /** Stable machine-readable code (a domain error's `code`, or the HTTP reason). */
  readonly code: string;
  /** For 409/412: the state the resource is in now. */
  readonly currentState?: string;
  /** For 412: the resource's current version (its ETag without quotes). */
  readonly currentVersion?: string;
  /** For 400: every bad field, by name. */
  readonly errors?: readonly FieldProblem[];
}

const DOMAIN_STATUS: Readonly<Record<string, number>> = {
  validation_failed: HttpStatus.BAD_REQUEST,
  off_target_justification_required: HttpStatus.BAD_REQUEST,
  deadline_not_later: HttpStatus.BAD_REQUEST,
  forbidden: HttpStatus.FORBIDDEN,
  self_approval: HttpStatus.FORBIDDEN,
  kpi_not_found: HttpStatus.NOT_FOUND,
  person_not_found: HttpStatus.NOT_FOUND,
  return_not_found: HttpStatus.NOT_FOUND,
  cycle_not_found: HttpStatus.NOT_FOUND,
};

/**
 * Turns every error into RFC 9457 problem details. Domain refusals keep their code; anything
 * unexpected is a 500 whose detail says nothing about internals (the log has the stack).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(error, request.originalUrl ?? request.url);
    if (problem.status >= 500) {
      this.logger.error(
        { err: error, path: request.originalUrl, correlationId: request.headers['x-correlation-id'] },
        `request failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (response.headersSent) return;
    // A dependency is down or behind: say when a retry is worth it (RFC 9110 §10.2.3).
    if (problem.status === 503) response.setHeader('Retry-After', '2');
    response.status(problem.status).type('application/problem+json').json(problem);
  }

  toProblem(error: unknown, instance: string): ProblemDetails {
    const base = (status: number, code: string, detail: string): ProblemDetails => ({
      type: `urn:quarterly:problem:${code}`,
      title: titleOf(status),
      status,
      detail,
      instance,
      code,
    });

    if (error instanceof RequestValidationError) {
      return { ...base(400, 'validation_failed', error.message), errors: error.problems };
    }
    if (error instanceof DomainError) {
      const status = DOMAIN_STATUS[error.code] ?? HttpStatus.CONFLICT;
      const problem = base(status, error.code, error.message);
      const currentState = (error as { currentState?: unknown }).currentState;
      const field = (error as { field?: unknown }).field;
      const missing = (error as { missing?: unknown }).missing;
      return {
        ...problem,
        ...(typeof currentState === 'string' ? { currentState } : {}),
        ...(status === 400 && typeof field === 'string'
          ? { errors: [{ field, message: String((error as { reason?: unknown }).reason ?? error.message) }] }
          : {}),
        ...(Array.isArray(missing)
          ? { errors: missing.map((name: string) => ({ field: name, message: `is required when the figure is off target` })) }
          : {}),
      };
    }
    if (error instanceof StaleRevisionError) {
      return {
        ...base(HttpStatus.PRECONDITION_FAILED, 'stale_version', error.message),
        currentState: error.currentState,
        ...(error.actual !== null ? { currentVersion: String(error.actual) } : {}),
      };
    }
    if (error instanceof ConcurrentChangeError) {
      return { ...base(HttpStatus.CONFLICT, 'concurrent_change', error.message), currentState: error.currentState };
    }
    if (error instanceof IdempotencyKeyReusedError) {
      return base(HttpStatus.UNPROCESSABLE_ENTITY, 'idempotency_key_reused', error.message);
    }
    if (error instanceof IdentityProviderUnavailableError) {
      return base(HttpStatus.SERVICE_UNAVAILABLE, 'identity_provider_unavailable', 'the identity provider cannot be reached to check the token; try again shortly');
    }
    if (error instanceof ProjectionTimeoutError || error instanceof ProjectionStoppedError) {
      // A command that must first see the read models up to date (opening a cycle reads the
      // register) while they lag: nothing was written, and the same request can be retried.
      return base(HttpStatus.SERVICE_UNAVAILABLE, 'read_models_behind', 'the read models are behind the event store; nothing was written, try again shortly');
    }
    if (error instanceof EventStoreUnavailableError) {
      return base(HttpStatus.SERVICE_UNAVAILABLE, 'store_unavailable', 'the event store is not reachable; nothing was written');
    }
    if (isReadModelUnavailable(error)) {
      // The read-model database is down, restarting, or (SQLite) locked or read-only: a query can
      // be retried, and a command that needed the read models wrote nothing.
      return base(HttpStatus.SERVICE_UNAVAILABLE, 'read_models_unavailable', 'the read-model database is not reachable now; nothing was written, try again shortly');
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      const message =
        typeof body === 'string'
          ? body
          : Array.isArray((body as { message?: unknown }).message)
            ? ((body as { message: string[] }).message).join('; ')
            : String((body as { message?: unknown }).message ?? error.message);
      // An exception may carry members of its own (a stable `code`, a report): they are kept.
      const extensions = (error as { problemExtensions?: Record<string, unknown> }).problemExtensions ?? {};
      return { ...base(status, codeOf(status), message), ...extensions };
    }
    const clientError = exposedClientErrorOf(error);
    if (clientError) return base(clientError.status, codeOf(clientError.status), clientError.message);
    return base(HttpStatus.INTERNAL_SERVER_ERROR, 'internal_error', 'an unexpected error occurred; it has been logged');
  }
}

/**
 * An error the HTTP layer raised about the request itself before any handler ran — body-parser's
 * `http-errors`: 413 for a body over the limit, 415 for an unsupported charset or encoding, 400 for
 * an aborted or malformed body. They carry a 4xx `status` and `expose: true` (safe to show).
 */
function exposedClientErrorOf(error: unknown): { status: number; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose, message } = error as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) return undefined;
  return { status, message: typeof message === 'string' && message !== '' ? message : titleOf(status) };
}

function titleOf(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    412: 'Precondition Failed',
    413: 'Content Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Content',
    428: 'Precondition Required',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return titles[status] ?? 'Error';
}

function codeOf(status: number): string {
  return titleOf(status).toLowerCase().replace(/[^a-z]+/g, '_');
}
