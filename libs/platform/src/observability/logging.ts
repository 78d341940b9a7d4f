import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { AppConfig } from '../config/app-config';
import { correlationIdOf } from '../http/correlation-id';

/**
 * One pino set-up for every process (API, worker, CLI): JSON lines, ISO times, and credentials
 * never written. Paths are pino's redaction paths (`*` is one level of any key).
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.idToken',
  '*.clientSecret',
  '*.connectionString',
  '*.databaseUrl',
  '*.smtpUrl',
];

/** Query parameters that carry credentials (the queue dashboard takes `access_token` in its URL). */
const SECRET_PARAMETER_NAMES = new Set(['access_token', 'token', 'code', 'state', 'id_token', 'password']);
const SECRET_QUERY_PARAMETERS = new RegExp(`([?&](?:${[...SECRET_PARAMETER_NAMES].join('|')})=)[^&#]*`, 'gi');

export function loggerOptions(level: AppConfig['logLevel']): LoggerOptions {
  return {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
}

/** The process logger (`main.ts` of the API and the worker). */
export function createLogger(level: AppConfig['logLevel'], destination?: DestinationStream): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

/**
 * pino-http's options for the API: the request id *is* the correlation id (the caller's or a
 * generated one, also returned in `X-Correlation-Id`), every line of the request carries it as
 * `correlationId`, and credentials in the URL's query are replaced before the URL is logged.
 *
 * A request's line names the request (method, URL, query, the caller's address and user agent)
 * and its answer (status, length); headers are not copied in, so cookies and bearer tokens never
 * reach the log even before redaction, and a line costs a fraction of one with every header
 * (pino-http's default, with redaction, was about 8 % of the API's CPU per submission).
 */
export function httpLoggerOptions(level: AppConfig['logLevel'], logger?: Logger): PinoHttpOptions {
  return {
    ...(logger ? { logger } : loggerOptions(level)),
    genReqId: (request: IncomingMessage, response: ServerResponse) => correlationIdOf(request, response),
    customProps: (request: IncomingMessage) => ({ correlationId: request.headers['x-correlation-id'] }),
    serializers: {
      req: (request: LoggedRequest) => ({
        id: request.id,
        method: request.method,
        url: withoutSecretQuery(request.url),
        ...(request.query && typeof request.query === 'object' ? { query: withoutSecretParameters(request.query as Record<string, unknown>) } : {}),
        remoteAddress: request.remoteAddress,
        userAgent: request.headers?.['user-agent'],
      }),
      res: (response: LoggedResponse) => ({
        statusCode: response.statusCode,
        contentLength: response.headers?.['content-length'],
      }),
    },
  };
}

/** What pino-http hands the `req` serializer (pino's standard serialisation of the request). */
interface LoggedRequest {
  readonly id?: unknown;
  readonly method?: string;
  readonly url?: string;
  readonly query?: unknown;
  readonly remoteAddress?: string;
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
}

/** What pino-http hands the `res` serializer. */
interface LoggedResponse {
  readonly statusCode?: number;
  readonly headers?: Readonly<Record<string, unknown>>;
}

/** Express's parsed `req.query`, with the same parameters redacted as in the URL. */
function withoutSecretParameters(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, SECRET_PARAMETER_NAMES.has(key.toLowerCase()) ? '[redacted]' : value]));
}

export function withoutSecretQuery(url: string | undefined): string | undefined {
  return url?.replace(SECRET_QUERY_PARAMETERS, '$1[redacted]');
}

/**
 * Nest's logger interface over a pino logger, for processes without HTTP (apps/worker): Nest's
 * own lines (module start, BullMQ processors) come out as the same JSON as everything else.
 */
export function nestLoggerOver(logger: Logger): LoggerService {
  const write =
    (level: 'info' | 'warn' | 'error' | 'debug' | 'trace' | 'fatal') =>
    (message: unknown, ...rest: unknown[]) => {
      const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
      const details = context ? { context } : {};
      if (message instanceof Error) logger[level]({ ...details, err: message }, message.message);
      else if (typeof message === 'object' && message !== null) logger[level]({ ...details, ...message });
      else logger[level](details, String(message));
    };
  return { log: write('info'), warn: write('warn'), error: write('error'), debug: write('debug'), verbose: write('trace'), fatal: write('fatal') };
}
