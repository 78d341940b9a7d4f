import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The request and response header that ties a request to its log lines and the events it caused. */
export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/** What a caller's id may look like; anything else is replaced by a generated one (and the reply says which). */
const CALLER_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request's correlation id: the caller's `X-Correlation-Id` when it is a plain token of at
 * most 128 characters, otherwise a new UUID. Stored back on the request (so the logger, the
 * command envelope and the problem-details filter read the same id) and set on the response.
 * Idempotent: the second call returns the first call's id.
 */
export function correlationIdOf(request: IncomingMessage, response?: ServerResponse): string {
  const header = request.headers['x-correlation-id'];
  const given = Array.isArray(header) ? header[0] : header;
  const id = given !== undefined && CALLER_ID.test(given) ? given : randomUUID();
  request.headers['x-correlation-id'] = id;
  if (response && !response.headersSent) response.setHeader(CORRELATION_ID_HEADER, id);
  return id;
}

/** Express middleware: every request gets its correlation id before anything else runs. */
export function correlationIdMiddleware(): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  return (request, response, next) => {
    correlationIdOf(request, response);
    next();
  };
}
