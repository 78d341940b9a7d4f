import { resolve } from 'node:path';
import { ConfigurationError } from './configuration-error';
import { readRedisConnectionSettings, type RedisConnectionSettings } from './redis-connection-settings';

/**
 * The engine's whole configuration, read once from environment variables at start-up.
 * Every variable is optional: the defaults give the embedded mode (one SQLite file).
 */
export interface AppConfig {
  /** Where events live. `sqlite`: embedded file; `postgres`: DATABASE_URL; `eventstoredb`: EVENTSTORE_URL. */
  readonly store: 'sqlite' | 'postgres' | 'eventstoredb';
  /** Folder of the embedded SQLite file (`quarterly.sqlite`). @defaultValue `./.data` */
  readonly dataDir: string;
  /** PostgreSQL for events (`postgres`) and read models (`postgres`, `eventstoredb`). */
  readonly databaseUrl?: string;
  /** EventStoreDB / KurrentDB connection string, e.g. `esdb://127.0.0.1:2113?tls=false`. */
  readonly eventStoreUrl?: string;
  /**
   * BullMQ's Redis: one server (REDIS_URL) or a master found through Sentinel (REDIS_SENTINELS,
   * REDIS_SENTINEL_MASTER). @defaultValue `{ kind: 'url', url: 'redis://127.0.0.1:63799' }`
   */
  readonly redis: RedisConnectionSettings;
  /** Outgoing mail. @defaultValue `smtp://127.0.0.1:1025` */
  readonly smtpUrl: string;
  /** Sender of notification e-mails. @defaultValue `Quarterly <quarterly@localhost>` */
  readonly mailFrom: string;
  /** The council's name, printed on scorecards and in export file names. @defaultValue `Quarterly demo council` (COUNCIL_NAME) */
  readonly councilName: string;
  readonly host: string;
  readonly port: number;
  /** Base of links in e-mails. @defaultValue `http://localhost:<port>` */
  readonly publicBaseUrl: string;
  readonly auth: AuthConfig;
  /** The web pages: sign-in at the council's identity provider, the session cookie, proxies, rate limits. */
  readonly web: WebConfig;
  /** Load the demo council when the store is empty. */
  readonly demoData: boolean;
  /** `embedded` runs reminder timers inside the API process; `off` leaves them to apps/worker. */
  readonly worker: 'embedded' | 'off';
  /**
   * Where the projections and process managers run (QUARTERLY_PROJECTIONS). `api`: in the API
   * process too (with a shared database, in whichever instance holds each runner's lease).
   * `worker`: never in the API, so its one thread does commands and queries only; apps/worker
   * runs them and the API's queries wait for the checkpoints it stores. Needs a shared database
   * (PostgreSQL) and QUARTERLY_WORKER=off. @defaultValue `api`
   */
  readonly projections: 'api' | 'worker';
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Port of apps/worker's health and metrics endpoint (on `host`). @defaultValue 3001 */
  readonly workerHealthPort: number;
  /** Seconds between integrity anchors over the events stored since the last one (`ANCHOR_INTERVAL_SECONDS`, 0 = never). */
  readonly anchorIntervalSeconds: number;
  /**
   * OpenTelemetry tracing (QUARTERLY_TRACING): `otlp` sends spans over OTLP/HTTP; read at start-up by
   * `observability/tracing.ts` before the drivers load, validated here. @defaultValue `off`
   */
  readonly tracing: 'off' | 'otlp';
}

/**
 * How a verified token names a person of the directory. The token proves who someone is; their
 * roles and directorate are read from the directory (the person streams), never from the token.
 */
/** What a token's identity claim is compared with in the directory (OIDC_IDENTITY_MATCH). */
export const IDENTITY_MATCHES = ['person-id', 'email', 'sign-in-id'] as const;
export type IdentityMatch = (typeof IDENTITY_MATCHES)[number];

export interface IdentityMapping {
  /**
   * The claim that identifies the person: `oid` for Microsoft Entra ID (its `sub` differs per
   * application), `email`, `preferred_username`, … Local shared-secret tokens always use `sub`.
   * @defaultValue `oid` in OIDC mode (OIDC_IDENTITY_CLAIM)
   */
  readonly claim: string;
  /**
   * What the claim's value is compared with: the directory's person id, the person's e-mail
   * address (case-insensitive), or the person's sign-in id (exactly; `add-person --sign-in-id`,
   * the register import's column, `signInId` of `POST /people`): the choice for Entra ID's `oid`.
   * @defaultValue `person-id` (OIDC_IDENTITY_MATCH)
   */
  readonly matches: IdentityMatch;
}

export type AuthConfig =
  | {
      /** Tokens signed with a shared secret (HS256): local use and the demo. */
      readonly mode: 'shared-secret';
      readonly secret: string;
      /** True when no JWT_SECRET was given and a development default is in use. */
      readonly usingDevelopmentSecret: boolean;
      readonly issuer: string;
      readonly audience: string;
      readonly identity: IdentityMapping;
    }
  | {
      /** Tokens from an OIDC provider, verified against its JWKS. */
      readonly mode: 'oidc';
      readonly jwksUrl: string;
      readonly issuer: string;
      readonly audience: string;
      readonly identity: IdentityMapping;
    };

/** Sign-in for the web pages: OpenID Connect authorization code with PKCE. */
export interface WebSignInConfig {
  /** The provider's issuer URL; its discovery document is read at `/.well-known/openid-configuration`. (OIDC_DISCOVERY_URL) */
  readonly discoveryUrl: string;
  /** (OIDC_CLIENT_ID) */
  readonly clientId: string;
  /** A confidential client's secret; without it the app is a public client (PKCE alone). (OIDC_CLIENT_SECRET) */
  readonly clientSecret?: string;
  /** Which claim of the ID token names the person, and what it matches in the directory. */
  readonly identity: IdentityMapping;
}

export interface WebConfig {
  /** Absent when OIDC_CLIENT_ID is not set: the pages then explain that sign-in is not configured. */
  readonly signIn?: WebSignInConfig;
  /** Signs the session cookie (SESSION_SECRET, at least 32 characters). */
  readonly sessionSecret: string;
  readonly usingDevelopmentSessionSecret: boolean;
  /** A session unused this long ends. @defaultValue 30 (SESSION_IDLE_MINUTES) */
  readonly sessionIdleMinutes: number;
  /** A session ends this long after sign-in, however busy. @defaultValue 10 (SESSION_ABSOLUTE_HOURS) */
  readonly sessionAbsoluteHours: number;
  /** Mark cookies `Secure` (HTTPS only). @defaultValue true when PUBLIC_BASE_URL is https (SESSION_COOKIE_SECURE) */
  readonly secureCookies: boolean;
  /**
   * Express's `trust proxy`: `false` (direct), `true`, a hop count, or addresses/subnets of the
   * proxies (TRUST_PROXY). Decides the client address the rate limits count. @defaultValue false
   */
  readonly trustProxy: boolean | number | string;
  /** Sign-in attempts per client address per minute. @defaultValue 20 (RATE_LIMIT_SIGN_IN_PER_MINUTE) */
  readonly signInPerMinute: number;
  /** Form posts per person per minute. @defaultValue 120 (RATE_LIMIT_WRITES_PER_MINUTE) */
  readonly writesPerMinute: number;
  /** JSON API writes per person per minute; 0 turns the limit off. @defaultValue 600 (RATE_LIMIT_API_WRITES_PER_MINUTE) */
  readonly apiWritesPerMinute: number;
}

export const DEVELOPMENT_SESSION_SECRET = 'quarterly-development-session-secret-not-for-production';

// Its own file so that the readers of single settings (Redis) can throw it without a cycle.
export { ConfigurationError } from './configuration-error';

/** Only for local use; a server started with it logs a warning at every start. */
export const DEVELOPMENT_JWT_SECRET = 'quarterly-development-secret-do-not-use-in-production';
const LOCAL_ISSUER = 'quarterly-local';
const AUDIENCE = 'quarterly-api';

type Env = Readonly<Record<string, string | undefined>>;

export function loadAppConfig(env: Env = process.env): AppConfig {
  const problems: ConfigurationError[] = [];
  const attempt = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (error) {
      if (error instanceof ConfigurationError) {
        problems.push(error);
        return fallback;
      }
      throw error;
    }
  };

  const store = attempt(
    () => oneOf(env, 'QUARTERLY_STORE', ['sqlite', 'postgres', 'eventstoredb'] as const, 'sqlite'),
    'sqlite' as const,
  );
  const databaseUrl = attempt(() => url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']), undefined);
  const eventStoreUrl = attempt(
    () => url(env, 'EVENTSTORE_URL', ['esdb:', 'esdb+discover:', 'kurrentdb:', 'kdb:', 'kurrentdb+discover:']),
    undefined,
  );
  if (store !== 'sqlite' && !databaseUrl && !problems.some((p) => p.variable === 'DATABASE_URL')) {
    problems.push(new ConfigurationError('DATABASE_URL', `is required when QUARTERLY_STORE=${store}`));
  }
  if (store === 'eventstoredb' && !eventStoreUrl && !problems.some((p) => p.variable === 'EVENTSTORE_URL')) {
    problems.push(new ConfigurationError('EVENTSTORE_URL', 'is required when QUARTERLY_STORE=eventstoredb'));
  }
  const port = attempt(() => integer(env, 'PORT', 3000, 0, 65535), 3000);
  const host = text(env, 'HOST') ?? '127.0.0.1';
  const tracing = attempt(() => oneOf(env, 'QUARTERLY_TRACING', ['off', 'otlp'] as const, 'off'), 'off' as const);
  const workerHealthPort = attempt(() => integer(env, 'WORKER_HEALTH_PORT', 3001, 0, 65535), 3001);
  const redis = readRedisConnectionSettings(env, (problem) => problems.push(problem));
  const smtpUrl = attempt(() => url(env, 'SMTP_URL', ['smtp:', 'smtps:']), undefined) ?? 'smtp://127.0.0.1:1025';
  const publicBaseUrl =
    attempt(() => url(env, 'PUBLIC_BASE_URL', ['http:', 'https:']), undefined) ?? `http://localhost:${port}`;
  const auth = attempt(() => readAuth(env), undefined);
  const web = attempt(() => readWeb(env, publicBaseUrl, (problem) => problems.push(problem)), undefined);
  const demoData = attempt(() => boolean(env, 'QUARTERLY_DEMO_DATA', false), false);
  const worker = attempt(() => oneOf(env, 'QUARTERLY_WORKER', ['embedded', 'off'] as const, 'embedded'), 'embedded' as const);
  const projections = attempt(() => oneOf(env, 'QUARTERLY_PROJECTIONS', ['api', 'worker'] as const, 'api'), 'api' as const);
  if (projections === 'worker' && store === 'sqlite') {
    problems.push(new ConfigurationError('QUARTERLY_PROJECTIONS', 'can be worker only with a shared database (QUARTERLY_STORE=postgres or eventstoredb): the embedded SQLite file has one process'));
  } else if (projections === 'worker' && worker === 'embedded') {
    problems.push(new ConfigurationError('QUARTERLY_PROJECTIONS', 'can be worker only with QUARTERLY_WORKER=off and apps/worker running'));
  }
  const logLevel = attempt(
    () => oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    'info' as const,
  );

  const anchorIntervalSeconds = attempt(() => integer(env, 'ANCHOR_INTERVAL_SECONDS', 900, 0, 86_400), 900);

  if (problems.length > 0 || !auth || !web) {
    const message = problems.map((p) => `  - ${p.message}`).join('\n');
    throw new InvalidConfigurationError(problems, `Invalid configuration:\n${message}`);
  }
  return {
    store,
    dataDir: resolve(text(env, 'QUARTERLY_DATA_DIR') ?? '.data'),
    databaseUrl,
    eventStoreUrl,
    redis,
    smtpUrl,
    mailFrom: text(env, 'MAIL_FROM') ?? 'Quarterly <quarterly@localhost>',
    councilName: text(env, 'COUNCIL_NAME') ?? 'Quarterly demo council',
    host,
    port,
    publicBaseUrl: publicBaseUrl.replace(/\/+$/, ''),
    auth,
    web,
    demoData,
    worker,
    projections,
    logLevel,
    workerHealthPort,
    anchorIntervalSeconds,
    tracing,
  };
}

/** All the problems found at once, so an operator fixes them in one go. */
export class InvalidConfigurationError extends Error {
  override readonly name = 'InvalidConfigurationError';
  constructor(
    readonly problems: readonly ConfigurationError[],
    message: string,
  ) {
    super(message);
  }
}

function readAuth(env: Env): AuthConfig {
  const jwksUrl = url(env, 'OIDC_JWKS_URL', ['https:', 'http:']);
  if (jwksUrl) {
    const issuer = text(env, 'OIDC_ISSUER');
    if (!issuer) throw new ConfigurationError('OIDC_ISSUER', 'is required when OIDC_JWKS_URL is set');
    return { mode: 'oidc', jwksUrl, issuer, audience: text(env, 'OIDC_AUDIENCE') ?? AUDIENCE, identity: readIdentityMapping(env) };
  }
  const secret = text(env, 'JWT_SECRET');
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigurationError('JWT_SECRET', 'must be at least 32 characters long');
  }
  return {
    mode: 'shared-secret',
    secret: secret ?? DEVELOPMENT_JWT_SECRET,
    usingDevelopmentSecret: secret === undefined,
    issuer: LOCAL_ISSUER,
    audience: AUDIENCE,
    // Local tokens are minted by `mint-token` with the person id as their subject.
    identity: { claim: 'sub', matches: 'person-id' },
  };
}

/** The claim naming a person, and what it matches in the directory (shared with web sign-in). */
export function readIdentityMapping(env: Env): IdentityMapping {
  const claim = text(env, 'OIDC_IDENTITY_CLAIM') ?? 'oid';
  if (!/^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/.test(claim)) {
    throw new ConfigurationError('OIDC_IDENTITY_CLAIM', `must be a claim name such as oid or email (got "${claim}")`);
  }
  return { claim, matches: oneOf(env, 'OIDC_IDENTITY_MATCH', IDENTITY_MATCHES, 'person-id') };
}

function readWeb(env: Env, publicBaseUrl: string, report: (problem: ConfigurationError) => void): WebConfig {
  const attempt = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      report(error);
      return fallback;
    }
  };
  const clientId = text(env, 'OIDC_CLIENT_ID');
  let signIn: WebSignInConfig | undefined;
  if (clientId) {
    const discoveryUrl = attempt(() => url(env, 'OIDC_DISCOVERY_URL', ['https:', 'http:']), undefined);
    if (!discoveryUrl) report(new ConfigurationError('OIDC_DISCOVERY_URL', 'is required when OIDC_CLIENT_ID is set'));
    const clientSecret = text(env, 'OIDC_CLIENT_SECRET');
    const identity = attempt(() => readIdentityMapping(env), { claim: 'oid', matches: 'person-id' as const });
    if (discoveryUrl) signIn = { discoveryUrl, clientId, ...(clientSecret ? { clientSecret } : {}), identity };
  }
  const sessionSecret = text(env, 'SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    report(new ConfigurationError('SESSION_SECRET', 'must be at least 32 characters long'));
  }
  return {
    ...(signIn ? { signIn } : {}),
    sessionSecret: sessionSecret ?? DEVELOPMENT_SESSION_SECRET,
    usingDevelopmentSessionSecret: sessionSecret === undefined,
    sessionIdleMinutes: attempt(() => integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60), 30),
    sessionAbsoluteHours: attempt(() => integer(env, 'SESSION_ABSOLUTE_HOURS', 10, 1, 24 * 7), 10),
    secureCookies: attempt(() => boolean(env, 'SESSION_COOKIE_SECURE', publicBaseUrl.startsWith('https:')), true),
    trustProxy: attempt(() => trustProxy(env), false),
    signInPerMinute: attempt(() => integer(env, 'RATE_LIMIT_SIGN_IN_PER_MINUTE', 20, 1, 100_000), 20),
    writesPerMinute: attempt(() => integer(env, 'RATE_LIMIT_WRITES_PER_MINUTE', 120, 1, 1_000_000), 120),
    apiWritesPerMinute: attempt(() => integer(env, 'RATE_LIMIT_API_WRITES_PER_MINUTE', 600, 0, 10_000_000), 600),
  };
}

function trustProxy(env: Env): boolean | number | string {
  const value = text(env, 'TRUST_PROXY');
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  if (!/^[0-9A-Za-z.:/, _-]+$/.test(value)) {
    throw new ConfigurationError('TRUST_PROXY', `must be true, false, a hop count, or proxy addresses/subnets (got "${value}")`);
  }
  return value;
}

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = text(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigurationError(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigurationError(name, `must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return Number(value);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = text(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['true', '1', 'yes'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigurationError(name, `must be true or false (got "${value}")`);
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigurationError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigurationError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return value;
}
