import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/**
 * Redis for integration tests: the shared server named by `REDIS_URL`, with a random key prefix
 * per test so tests running in parallel never see each other's queues, or a private
 * `redis-server` that a fault test may stop and start.
 */

/** The `REDIS_URL` for integration tests; throws with the fix when it is not set. */
export function redisTestUrl(): string {
  const url = process.env['REDIS_URL'];
  if (!url) {
    throw new Error(
      'REDIS_URL is not set: run `bash infra/local/redis.sh start` and export REDIS_URL=$(bash infra/local/redis.sh url)',
    );
  }
  return url;
}

/** A connection BullMQ accepts for workers (`maxRetriesPerRequest: null`). */
export function redisTestConnection(url: string = redisTestUrl()): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** A BullMQ key prefix of its own for one test: `test-<name>-<random>`. */
export function uniqueTestPrefix(name: string): string {
  return `test-${name.replace(/[^a-z0-9-]/gi, '-')}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under a test's prefix (BullMQ keys are `<prefix>:<queue>:…`). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A port nobody listens on at 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type RedisProcess = ReturnType<typeof spawn>;

/**
 * Starts `redis-server` with these arguments and resolves once its log shows `readyText`. A
 * missing binary fails with the command that installs it (never a skipped test).
 */
export async function startRedisProcess(args: readonly string[], readyText: string): Promise<RedisProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(readyText)) resolve();
    };
    child.stdout!.on('data', onData);
    child.once('error', (error) =>
      reject(
        new Error(
          `cannot run redis-server: ${error.message}. Run \`bash infra/local/redis.sh start\` (it installs Debian's redis-server)`,
        ),
      ),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  return child;
}

/** Stops a process this test started (SIGTERM: a server flushes its AOF) and waits for its exit. */
export async function stopRedisProcess(child: RedisProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

/**
 * A `redis-server` of the test's own, on a free loopback port, with the project's settings
 * (AOF fsync every second, noeviction) and a temporary data directory. `stop()` shuts it down
 * cleanly (SIGTERM: the AOF is flushed) and `start()` brings it back on the same port with the
 * same data, as an operator restarting Redis would.
 */
export class RedisTestServer {
  private process: RedisProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly replicaOf: number | undefined,
  ) {}

  /** `replicaOf`: the port of a server on 127.0.0.1 that this one replicates (a Sentinel test's replica). */
  static async create(options: { readonly replicaOf?: number } = {}): Promise<RedisTestServer> {
    const server = new RedisTestServer(await freePort(), mkdtempSync(join(tmpdir(), 'quarterly-redis-')), options.replicaOf);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.process) return;
    this.process = await startRedisProcess(
      [
        '--bind', '127.0.0.1', '--port', String(this.port), '--dir', this.dir,
        '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction',
        '--save', '',
        ...(this.replicaOf !== undefined ? ['--replicaof', '127.0.0.1', String(this.replicaOf)] : []),
      ],
      'Ready to accept connections',
    );
  }

  /** Clean shutdown, as `systemctl restart redis` would do. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    await stopRedisProcess(child);
  }

  /** SIGKILL, as a crashed process or a lost machine: nothing is flushed. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Stops the server and deletes its data. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
