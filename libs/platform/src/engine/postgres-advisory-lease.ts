import { createHash } from 'node:crypto';
import { Client } from 'pg';

export interface AdvisoryLeaseOptions {
  readonly connectionString: string;
  /** What the lease guards; instances that name the same thing compete for one lock. */
  readonly name: string;
  /** How often a stand-by tries to take the lock. @defaultValue 2000 */
  readonly retryIntervalMs?: number;
  /** Called once the lock is held: start the guarded work. */
  readonly onAcquired: () => Promise<void>;
  /** Called when the lock is lost (its connection ended): stop the guarded work at once. */
  readonly onLost: () => Promise<void>;
  readonly logger?: { info(details: object, message: string): void; error(details: object, message: string): void };
}

/**
 * Exactly one holder among many instances, by a PostgreSQL session-level advisory lock on a
 * dedicated connection: the lock lives as long as the session, so a holder that crashes or loses
 * its network releases it, and a stand-by polling `pg_try_advisory_lock` takes over. TCP
 * keepalives make a dead holder's session end in seconds rather than hours.
 */
export class PostgresAdvisoryLease {
  private client: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private holding = false;
  private stopped = true;
  private readonly key: bigint;

  constructor(private readonly options: AdvisoryLeaseOptions) {
    this.key = advisoryLockKey(options.name);
  }

  get isHeld(): boolean {
    return this.holding;
  }

  /** Starts competing for the lock; resolves after the first attempt. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    await this.attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    if (this.holding) {
      this.holding = false;
      await this.options.onLost();
    }
    if (client) await client.end().catch(() => undefined); // ending the session releases the lock
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.client) this.client = await this.connect();
      const result = await this.client.query<{ acquired: boolean }>('select pg_try_advisory_lock($1::bigint) as acquired', [
        this.key.toString(),
      ]);
      if (result.rows[0]?.acquired && !this.stopped) {
        this.holding = true;
        this.options.logger?.info({ lease: this.options.name }, 'lease acquired: running projections and process managers');
        await this.options.onAcquired();
        return;
      }
    } catch (error) {
      this.options.logger?.error({ lease: this.options.name, err: error }, 'lease attempt failed; retrying');
      // The guarded work may have failed to start (its database went away meanwhile): stop it
      // and give the lock back, so that this or another instance starts it afresh.
      if (this.holding) {
        this.holding = false;
        await this.options.onLost().catch(() => undefined);
      }
      await this.dropClient();
    }
    this.schedule();
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.options.connectionString, keepAlive: true, keepAliveInitialDelayMillis: 5_000 });
    client.on('error', () => void this.onConnectionLost());
    client.on('end', () => void this.onConnectionLost());
    await client.connect();
    return client;
  }

  private async onConnectionLost(): Promise<void> {
    if (this.stopped) return;
    this.client = undefined;
    if (this.holding) {
      this.holding = false;
      this.options.logger?.error({ lease: this.options.name }, 'lease lost with its connection: standing by');
      await this.options.onLost();
    }
    this.schedule();
  }

  private async dropClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.attempt();
    }, this.options.retryIntervalMs ?? 2_000);
  }
}

/** A stable signed 64-bit key for `pg_advisory_lock`, from a name. */
export function advisoryLockKey(name: string): bigint {
  return createHash('sha256').update(`quarterly:${name}`).digest().readBigInt64BE(0);
}
