import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, RedisTestServer, startRedisProcess, stopRedisProcess, type RedisProcess } from './redis-test-connection';

const HOST = '127.0.0.1';

/**
 * A Redis primary, one replica and one Sentinel (quorum 1) of the test's own, every one a
 * `redis-server` process on a free 127.0.0.1 port with a temporary directory. `destroy()` stops
 * exactly these processes and deletes the directories.
 */
export class RedisSentinelTestGroup {
  private constructor(
    readonly masterName: string,
    readonly servers: readonly RedisTestServer[],
    readonly sentinelPort: number,
    private readonly sentinel: RedisProcess,
    private readonly sentinelDir: string,
  ) {}

  static async start(masterName: string): Promise<RedisSentinelTestGroup> {
    const started: RedisTestServer[] = [];
    try {
      started.push(await RedisTestServer.create());
      started.push(await RedisTestServer.create({ replicaOf: started[0]!.port }));
      const sentinelPort = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'quarterly-sentinel-'));
      const conf = join(dir, 'sentinel.conf');
      // The Sentinel rewrites its configuration file (what it learns), so it lives in the temp dir.
      writeFileSync(
        conf,
        [
          `port ${sentinelPort}`,
          `bind ${HOST}`,
          `dir ${dir}`,
          `sentinel monitor ${masterName} ${HOST} ${started[0]!.port} 1`,
          `sentinel down-after-milliseconds ${masterName} 2000`,
          `sentinel failover-timeout ${masterName} 10000`,
          '',
        ].join('\n'),
      );
      const sentinel = await startRedisProcess([conf, '--sentinel'], '+monitor master');
      return new RedisSentinelTestGroup(masterName, started, sentinelPort, sentinel, dir);
    } catch (error) {
      for (const server of started) await server.destroy();
      throw error;
    }
  }

  get sentinels(): readonly { host: string; port: number }[] {
    return [{ host: HOST, port: this.sentinelPort }];
  }

  /** The port of the server the Sentinel currently names as master. */
  async masterPort(): Promise<number> {
    return this.withSentinel(async (sentinel) => {
      const address = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName)) as [string, string] | null;
      if (!address) throw new Error(`the Sentinel does not know ${this.masterName}`);
      return Number(address[1]);
    });
  }

  /**
   * Makes the replica the master (`SENTINEL FAILOVER`, no server is killed) and resolves when
   * the Sentinel names it and it reports itself master. Polls every 100 ms up to `timeoutMs`.
   */
  async failover(timeoutMs = 15_000): Promise<{ from: number; to: number }> {
    const deadline = Date.now() + timeoutMs;
    const from = await this.masterPort();
    const to = this.servers.find((s) => s.port !== from)!.port;
    await this.withSentinel(async (sentinel) => {
      // The Sentinel learns of the replica from the master's INFO; it can promote it only once
      // it knows it and sees its replication link up.
      await until(deadline, 'the Sentinel to see the replica in sync', async () => {
        const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', this.masterName)) as string[][];
        return replicas.some((fields) => {
          const info = fieldsOf(fields);
          return info['port'] === String(to) && info['master-link-status'] === 'ok' && !/down|disconnected/.test(info['flags'] ?? '');
        });
      });
      await sentinel.call('SENTINEL', 'FAILOVER', this.masterName);
    });
    await until(deadline, `the Sentinel to name 127.0.0.1:${to} master`, async () => (await this.masterPort()) === to);
    const promoted = new Redis({ host: HOST, port: to, lazyConnect: true });
    try {
      await until(deadline, `127.0.0.1:${to} to report role master`, async () => {
        const [role] = (await promoted.call('ROLE')) as [string];
        return role === 'master';
      });
    } finally {
      promoted.disconnect();
    }
    return { from, to };
  }

  /** Stops the Sentinel and both servers (only these processes) and deletes their directories. */
  async destroy(): Promise<void> {
    await stopRedisProcess(this.sentinel);
    rmSync(this.sentinelDir, { recursive: true, force: true });
    for (const server of this.servers) await server.destroy();
  }

  private async withSentinel<T>(use: (sentinel: Redis) => Promise<T>): Promise<T> {
    const sentinel = new Redis({ host: HOST, port: this.sentinelPort, lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      return await use(sentinel);
    } finally {
      sentinel.disconnect();
    }
  }
}

function fieldsOf(flat: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return fields;
}

async function until(deadline: number, what: string, check: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
