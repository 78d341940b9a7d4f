import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-test-connection';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of the test's own — initdb'd in a temporary folder, listening on a free
 * 127.0.0.1 port — so that a fault test may stop it (`pg_ctl stop -m fast`, as at a restart or a
 * maintenance window) or kill its postmaster with SIGKILL (a crash) without touching the shared
 * cluster other suites use. Debian's binaries (/usr/lib/postgresql/<newest>/bin); as root the
 * server runs as `postgres`, which PostgreSQL requires. A missing binary fails with the command
 * that installs it, never a skipped test.
 */
export class PostgresTestCluster {
  private constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly binDir: string,
  ) {}

  static async create(): Promise<PostgresTestCluster> {
    const binDir = postgresBinDir();
    const root = mkdtempSync(join(tmpdir(), 'quarterly-pg-'));
    const dataDir = join(root, 'data');
    const cluster = new PostgresTestCluster(await freePort(), dataDir, binDir);
    if (isRoot()) chownSync(root, ...postgresUser());
    await cluster.asOwner('initdb', ['-D', dataDir, '--username=postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
    await cluster.start();
    await cluster.asOwner('psql', ['-X', '-q', '-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres', '-d', 'postgres', '-c', 'CREATE DATABASE quarterly']);
    return cluster;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/quarterly`;
  }

  /** Starts the server (after a stop or a kill: crash recovery runs first) and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=100`;
    await this.asOwner('pg_ctl', ['start', '-D', this.dataDir, '-l', join(this.dataDir, '..', 'server.log'), '-w', '-t', '60', '-o', options]);
  }

  /** `pg_ctl stop -m fast`: every session is ended with 57P01, as an operator's restart does. */
  async stop(): Promise<void> {
    await this.asOwner('pg_ctl', ['stop', '-D', this.dataDir, '-m', 'fast', '-w']);
  }

  /**
   * SIGKILL to the postmaster and to its backends, as when the machine or container dies: no
   * shutdown checkpoint, sessions end without a goodbye. Resolves once every process is gone.
   */
  async kill(): Promise<void> {
    const postmaster = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const processes = [postmaster, ...childrenOf(postmaster)];
    for (const pid of processes) signal(pid, 'SIGKILL');
    for (let attempt = 0; attempt < 200 && processes.some(isAlive); attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
  }

  /** Stops the server (if running) and deletes its files. */
  async destroy(): Promise<void> {
    try {
      if (existsSync(join(this.dataDir, 'postmaster.pid'))) await this.stop().catch(() => this.kill());
    } finally {
      rmSync(join(this.dataDir, '..'), { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  }

  private async asOwner(binary: string, args: readonly string[]): Promise<void> {
    const command = join(this.binDir, binary);
    try {
      if (isRoot()) await run('runuser', ['-u', 'postgres', '--', command, ...args]);
      else await run(command, [...args]);
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(`${binary} ${args.join(' ')} failed: ${stderr ?? String(error)}`);
    }
  }
}

function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  const newest = versions.sort((a, b) => Number(a) - Number(b)).pop();
  if (!newest) throw new Error("PostgreSQL server binaries not found: run `bash infra/local/postgres.sh start` (it installs Debian's postgresql)");
  return join(root, newest, 'bin');
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function postgresUser(): [uid: number, gid: number] {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error("user 'postgres' is missing: install the Debian package postgresql");
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}

/** The postmaster's children, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((candidate) => {
      try {
        const stat = readFileSync(`/proc/${candidate}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    });
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
