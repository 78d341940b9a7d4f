import { ConfigurationError } from './configuration-error';

/** One Sentinel process, as listed in REDIS_SENTINELS. */
export interface RedisSentinelAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Where BullMQ's Redis is: one server named by a URL, or the current master of a Sentinel-watched
 * group, asked of the Sentinels at every (re)connection so that a failover is followed.
 * {@link redisConnectionOptions} turns it into ioredis options.
 */
export type RedisConnectionSettings =
  | {
      readonly kind: 'url';
      /** `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS). */
      readonly url: string;
    }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly RedisSentinelAddress[];
      /** The name the Sentinels monitor the master under (`sentinel monitor <name> …`). */
      readonly masterName: string;
      /** For Sentinels started with `requirepass`. */
      readonly sentinelPassword?: string;
      /** Of the data nodes (master and replicas): REDIS_URL's user info and path, when set. */
      readonly username?: string;
      readonly password?: string;
      readonly db?: number;
    };

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:63799';

/** What a `redis://` / `rediss://` URL says, as ioredis wants it. */
export interface RedisUrlParts {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
  readonly tls: boolean;
}

/** Parses a Redis URL; a malformed one is a {@link ConfigurationError} naming REDIS_URL. */
export function redisUrlParts(value: string): RedisUrlParts {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError('REDIS_URL', 'is not a valid URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigurationError('REDIS_URL', 'must start with redis:// or rediss://');
  }
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d+$/.test(path)) {
    throw new ConfigurationError('REDIS_URL', `its path must be a database number (got "/${path}")`);
  }
  return {
    // URL keeps the brackets of an IPv6 address; sockets do not want them.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: Number(url.port) || 6379,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(path !== '' ? { db: Number(path) } : {}),
    tls: url.protocol === 'rediss:',
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads REDIS_URL, REDIS_SENTINELS, REDIS_SENTINEL_MASTER and REDIS_SENTINEL_PASSWORD. Every
 * problem goes to `report` (so that an operator sees them all at once) and the default is
 * returned in its place.
 *
 * With REDIS_SENTINELS set, REDIS_URL is optional and only its user, password and database
 * number are used (`redis://:secret@sentinel-managed/2`): the host is whichever master the
 * Sentinels name.
 */
export function readRedisConnectionSettings(env: Env, report: (problem: ConfigurationError) => void): RedisConnectionSettings {
  const fallback = { kind: 'url', url: DEFAULT_REDIS_URL } as const;
  const urlValue = nonEmpty(env['REDIS_URL']);
  let urlParts: RedisUrlParts | undefined;
  try {
    urlParts = urlValue === undefined ? undefined : redisUrlParts(urlValue);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    report(error);
  }

  const sentinelsValue = nonEmpty(env['REDIS_SENTINELS']);
  const masterName = nonEmpty(env['REDIS_SENTINEL_MASTER']);
  // Passwords are taken as written: a space may be part of one.
  const sentinelPassword = env['REDIS_SENTINEL_PASSWORD'] || undefined;

  if (sentinelsValue === undefined) {
    // A half-configured Sentinel would otherwise silently use REDIS_URL's single server.
    for (const [name, value] of [['REDIS_SENTINEL_MASTER', masterName], ['REDIS_SENTINEL_PASSWORD', sentinelPassword]] as const) {
      if (value !== undefined) report(new ConfigurationError('REDIS_SENTINELS', `is required when ${name} is set`));
    }
    return urlValue !== undefined && urlParts !== undefined ? { kind: 'url', url: urlValue } : fallback;
  }

  const sentinels = sentinelAddresses(sentinelsValue);
  if (sentinels === undefined) {
    report(
      new ConfigurationError(
        'REDIS_SENTINELS',
        `must be a comma-separated list of host:port, e.g. 10.0.0.1:26379,10.0.0.2:26379 (got "${sentinelsValue}")`,
      ),
    );
  }
  if (masterName === undefined) {
    report(new ConfigurationError('REDIS_SENTINEL_MASTER', 'is required when REDIS_SENTINELS is set'));
  }
  if (urlParts?.tls) {
    // Untested, so refused rather than half-working: ioredis would need TLS options for the Sentinels too.
    report(new ConfigurationError('REDIS_URL', 'rediss:// (TLS) is not supported together with REDIS_SENTINELS'));
    return fallback;
  }
  if (sentinels === undefined || masterName === undefined) return fallback;
  return {
    kind: 'sentinel',
    sentinels,
    masterName,
    ...(sentinelPassword !== undefined ? { sentinelPassword } : {}),
    ...(urlParts?.username !== undefined ? { username: urlParts.username } : {}),
    ...(urlParts?.password !== undefined ? { password: urlParts.password } : {}),
    ...(urlParts?.db !== undefined ? { db: urlParts.db } : {}),
  };
}

/** `host:port,host:port,[ipv6]:port`; undefined when any entry is malformed. */
function sentinelAddresses(value: string): RedisSentinelAddress[] | undefined {
  const addresses: RedisSentinelAddress[] = [];
  for (const entry of value.split(',').map((e) => e.trim())) {
    const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]/@]+)):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[3]);
    if (!match || port < 1 || port > 65535) return undefined;
    addresses.push({ host: (match[1] ?? match[2])!, port });
  }
  return addresses;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
