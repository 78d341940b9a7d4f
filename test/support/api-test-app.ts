import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { Role } from '@quarterly/domain';
import { AdjustableClock, LocalTokenIssuer, loadAppConfig, type AppConfig, type QuarterlyEngine } from '@quarterly/platform';
import { createApiApplication } from '../../apps/api/src/bootstrap/create-api-application';
import { ensureInDirectory } from './directory-fixtures';

export interface TestPrincipal {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly directorate?: string;
}

export interface ApiTestApp {
  readonly baseUrl: string;
  /** The Nest application, for what a test needs from inside it (e.g. the web session store). */
  readonly app: INestApplication;
  readonly engine: QuarterlyEngine;
  readonly clock: AdjustableClock;
  readonly config: AppConfig;
  /**
   * A bearer token for this principal, signed with the test secret. The API takes roles and
   * directorate from its directory, not from tokens: the principal is registered there first
   * unless the directory already holds that person id (whose roles then stand).
   */
  tokenFor(principal: TestPrincipal): Promise<string>;
  /** `fetch` against the API as this principal (JSON in, JSON out). */
  as(principal: TestPrincipal): ApiClient;
  close(): Promise<void>;
}

export interface ApiResponse<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export type ApiClient = (
  method: string,
  path: string,
  options?: { body?: unknown; headers?: Record<string, string> },
) => Promise<ApiResponse>;

const TEST_SECRET = 'end-to-end-test-secret-0123456789abcdefghij';

/**
 * The real API on a real store, listening on 127.0.0.1 on a free port: SQLite in a fresh
 * temporary folder by default, or PostgreSQL (DATABASE_URL) in a fresh schema.
 */
export interface ApiTestAppOptions {
  readonly store?: 'sqlite' | 'postgres';
  readonly now?: string;
  readonly schema?: string;
  /**
   * Run the reminder worker inside the API against the Redis of REDIS_URL (a key prefix of its
   * own) and this SMTP server; without it the API has no Redis at all.
   */
  readonly reminders?: { readonly smtpUrl: string; readonly queuePrefix?: string; readonly redisUrl?: string };
  /** PostgreSQL of the test's own (a fault test's private cluster) instead of DATABASE_URL. */
  readonly databaseUrl?: string;
  /** Listen on this port (e.g. one the identity provider's redirect URIs already name). @defaultValue any free port */
  readonly port?: number;
  /** Further configuration (environment variables), e.g. web sign-in settings. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A free TCP port on 127.0.0.1, for a server whose address must be known before it starts. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function startApiTestApp(options: ApiTestAppOptions = {}): Promise<ApiTestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'quarterly-e2e-'));
  const store = options.store ?? 'sqlite';
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  if (store === 'postgres' && !databaseUrl) {
    throw new Error('DATABASE_URL is not set: run `bash infra/local/postgres.sh start` and export DATABASE_URL=$(bash infra/local/postgres.sh url)');
  }
  const config = loadAppConfig({
    QUARTERLY_STORE: store,
    QUARTERLY_DATA_DIR: dataDir,
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    QUARTERLY_WORKER: options.reminders ? 'embedded' : 'off',
    ...(store === 'postgres' ? { DATABASE_URL: databaseUrl } : {}),
    ...(options.reminders ? { REDIS_URL: options.reminders.redisUrl ?? requiredRedisUrl(), SMTP_URL: options.reminders.smtpUrl } : {}),
    // The pages' sessions and rate limits (connected at the first page request only).
    ...(process.env.REDIS_URL && !options.reminders ? { REDIS_URL: process.env.REDIS_URL } : {}),
    // Suites that are not about rate limits write freely (one of them sets a limit to test it).
    RATE_LIMIT_API_WRITES_PER_MINUTE: '0',
    ...(options.port !== undefined ? { PORT: String(options.port), PUBLIC_BASE_URL: `http://127.0.0.1:${options.port}` } : {}),
    ...options.env,
  });
  const clock = new AdjustableClock(options.now ?? '2026-10-01T09:00:00Z');
  const schema = store === 'postgres' ? (options.schema ?? `e2e_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`) : undefined;
  const { app, engine } = await createApiApplication(config, {
    clock,
    withReminders: options.reminders !== undefined,
    queuePrefix: options.reminders?.queuePrefix ?? `e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    webKeyPrefix: `e2e-web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}:`,
    ...(schema ? { schema } : {}),
  });
  await app.listen(options.port ?? 0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const issuer = new LocalTokenIssuer(config.auth);

  // One registration per principal, shared by concurrent requests.
  const registered = new Map<string, Promise<void>>();
  const tokenFor = async (principal: TestPrincipal) => {
    let registration = registered.get(principal.id);
    if (!registration) {
      registration = ensureInDirectory(engine.executor, principal, clock.now().toISOString());
      registered.set(principal.id, registration);
    }
    await registration;
    return issuer.issue({ id: principal.id });
  };

  const as = (principal: TestPrincipal): ApiClient => async (method, path, request = {}) => {
    const token = await tokenFor(principal);
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...request.headers,
      },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };

  return {
    baseUrl,
    app,
    engine,
    clock,
    config,
    tokenFor,
    as,
    close: async () => {
      await app.close();
      if (schema && databaseUrl) await dropSchema(databaseUrl, schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function requiredRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: run `bash infra/local/redis.sh start` and export REDIS_URL=$(bash infra/local/redis.sh url)');
  return url;
}

async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
