/**
 * Whether an error from the read-model database means "the database cannot be used now" rather
 * than "this query is wrong": the HTTP layer answers the first with 503 (retry later) and the
 * second with 500. Covers node-postgres (network errors, SQLSTATE class 08 connection exception,
 * 57P01–57P03 shutdown and start-up, 53300 too many connections, a pool that lost its socket) and
 * better-sqlite3 (busy or locked past the busy timeout, read-only or unwritable file, disk full,
 * I/O error).
 */
export function isReadModelUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SQLITE_UNAVAILABLE.test(code) || NETWORK_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && (code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300')) return true;
  }
  return error instanceof Error && CONNECTION_MESSAGES.test(error.message);
}

const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|READONLY|CANTOPEN|IOERR|FULL)/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH']);
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Client has encountered a connection error/i;
