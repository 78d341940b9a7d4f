import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, RedisTestServer, startRedisProcess, stopRedisProcess, type RedisProcess } from './redis-test-connection';

const HOST = '127.0.0.1';

/**
 * A Redis primary, one replica and one or more Sentinels of the test's own, every one a
 * `redis-server` process on a free 127.0.0.1 port with a temporary directory. `destroy()` stops
 * exactly these processes and deletes the directories.
 */
export class RedisSentinelTestGroup {
  private constructor(
    readonly masterName: string,
    readonly servers: readonly RedisTestServer[],
    private readonly sentinelProcesses: ReadonlyArray<{ readonly port: number; readonly process: RedisProcess; readonly dir: string }>,
  ) {}

  /**
   * `sentinels` Sentinels (default 1) agreeing with `quorum` of them (default 1) that the master is
   * down after `downAfterMs` (default 2 s) without an answer.
   */
  static async start(
    masterName: string,
    options: { readonly sentinels?: number; readonly quorum?: number; readonly downAfterMs?: number } = {},
  ): Promise<RedisSentinelTestGroup> {
    const started: RedisTestServer[] = [];
    const sentinels: Array<{ port: number; process: RedisProcess; dir: string }> = [];
    try {
      started.push(await RedisTestServer.create());
      started.push(await RedisTestServer.create({ replicaOf: started[0]!.port }));
      for (let i = 0; i < (options.sentinels ?? 1); i += 1) {
        const port = await freePort();
        const dir = mkdtempSync(join(tmpdir(), 'quarterly-sentinel-'));
        const conf = join(dir, 'sentinel.conf');
        // The Sentinel rewrites its configuration file (what it learns), so it lives in the temp dir.
        writeFileSync(
          conf,
          [
            `port ${port}`,
            `bind ${HOST}`,
            `dir ${dir}`,
            `sentinel monitor ${masterName} ${HOST} ${started[0]!.port} ${options.quorum ?? 1}`,
            `sentinel down-after-milliseconds ${masterName} ${options.downAfterMs ?? 2000}`,
            `sentinel failover-timeout ${masterName} 10000`,
            '',
          ].join('\n'),
        );
        sentinels.push({ port, dir, process: await startRedisProcess([conf, '--sentinel'], '+monitor master') });
      }
      return new RedisSentinelTestGroup(masterName, started, sentinels);
    } catch (error) {
      for (const sentinel of sentinels) {
        await stopRedisProcess(sentinel.process);
        rmSync(sentinel.dir, { recursive: true, force: true });
      }
      for (const server of started) await server.destroy();
      throw error;
    }
  }

  get sentinels(): readonly { host: string; port: number }[] {
    return this.sentinelProcesses.map((sentinel) => ({ host: HOST, port: sentinel.port }));
  }

  /** The port of the server the Sentinel currently names as master. */
  async masterPort(sentinelPort = this.sentinelProcesses[0]!.port): Promise<number> {
    return this.withSentinel(async (sentinel) => {
      const address = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName)) as [string, string] | null;
      if (!address) throw new Error(`the Sentinel does not know ${this.masterName}`);
      return Number(address[1]);
    }, sentinelPort);
  }

  /**
   * Makes the replica the master (`SENTINEL FAILOVER`, no server is killed) and resolves when
   * the Sentinel names it and it reports itself master. Polls every 100 ms up to `timeoutMs`.
   */
  async failover(timeoutMs = 15_000): Promise<{ from: number; to: number }> {
    const deadline = Date.now() + timeoutMs;
    const { from, to } = await this.replicaInSync(deadline);
    await this.withSentinel((sentinel) => sentinel.call('SENTINEL', 'FAILOVER', this.masterName));
    await this.promoted(deadline, to);
    return { from, to };
  }

  /**
   * Kills the master with SIGKILL once every write it acknowledged has reached the replica
   * (`WAIT`), and resolves when a quorum of Sentinels has agreed it is down and promoted the
   * replica, and the replica reports itself master. Polls every 100 ms up to `timeoutMs`.
   */
  async crashMaster(timeoutMs = 30_000): Promise<{ from: number; to: number }> {
    const deadline = Date.now() + timeoutMs;
    const { from, to } = await this.replicaInSync(deadline);
    const master = new Redis({ host: HOST, port: from, lazyConnect: true });
    try {
      const acknowledged = (await master.call('WAIT', '1', '5000')) as number;
      if (acknowledged < 1) throw new Error('the replica did not acknowledge the master\'s writes');
    } finally {
      master.disconnect();
    }
    await this.servers.find((s) => s.port === from)!.kill();
    await this.promoted(deadline, to);
    return { from, to };
  }

  /** The master and the replica, once every Sentinel sees the replica's link to the master up. */
  private async replicaInSync(deadline: number): Promise<{ from: number; to: number }> {
    const from = await this.masterPort();
    const to = this.servers.find((s) => s.port !== from)!.port;
    // A Sentinel learns of the replica from the master's INFO; it can promote it only once it
    // knows it and sees its replication link up.
    for (const { port } of this.sentinels) {
      await this.withSentinel(
        (sentinel) =>
          until(deadline, `the Sentinel on ${port} to see the replica in sync`, async () => {
            const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', this.masterName)) as string[][];
            return replicas.some((fields) => {
              const info = fieldsOf(fields);
              return info['port'] === String(to) && info['master-link-status'] === 'ok' && !/down|disconnected/.test(info['flags'] ?? '');
            });
          }),
        port,
      );
    }
    return { from, to };
  }

  /** Resolves when every Sentinel names `to` master and it reports role master. */
  private async promoted(deadline: number, to: number): Promise<void> {
    for (const { port } of this.sentinels) {
      await until(deadline, `the Sentinel on ${port} to name 127.0.0.1:${to} master`, async () => (await this.masterPort(port)) === to);
    }
    const promoted = new Redis({ host: HOST, port: to, lazyConnect: true });
    try {
      await until(deadline, `127.0.0.1:${to} to report role master`, async () => {
        const [role] = (await promoted.call('ROLE')) as [string];
        return role === 'master';
      });
    } finally {
      promoted.disconnect();
    }
  }

  /** Stops the Sentinels and both servers (only these processes) and deletes their directories. */
  async destroy(): Promise<void> {
    for (const sentinel of this.sentinelProcesses) {
      await stopRedisProcess(sentinel.process);
      rmSync(sentinel.dir, { recursive: true, force: true });
    }
    for (const server of this.servers) await server.destroy();
  }

  private async withSentinel<T>(use: (sentinel: Redis) => Promise<T>, port = this.sentinelProcesses[0]!.port): Promise<T> {
    const sentinel = new Redis({ host: HOST, port, lazyConnect: true, maxRetriesPerRequest: 1 });
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
