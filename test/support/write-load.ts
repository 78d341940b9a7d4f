import type { ApiClient } from './api-test-app';

/** One command of a {@link WriteLoad}: what it asked for and how the API answered. */
export interface WriteOutcome {
  readonly personId: string;
  /** The HTTP status, or `network` when no answer came at all (the process died, the socket broke). */
  readonly status: number | 'network';
  readonly code?: string;
  readonly correlationId?: string;
  readonly elapsedMs: number;
  readonly startedAt: number;
}

/**
 * A steady stream of commands against the API while a test breaks a dependency: `concurrency`
 * loops, each registering a new person (`POST /people`, a fresh stream every time) as soon as the
 * previous answer arrived, and recording every answer. A refused command is followed by a short
 * pause so that an outage is not a busy loop on a 2-core machine.
 */
export class WriteLoad {
  readonly outcomes: WriteOutcome[] = [];
  private running = true;
  private readonly loops: Promise<void>[];
  private next = 0;

  private constructor(
    private readonly client: ApiClient,
    private readonly prefix: string,
    concurrency: number,
  ) {
    this.loops = Array.from({ length: concurrency }, () => this.loop());
  }

  static start(client: ApiClient, options: { readonly prefix: string; readonly concurrency?: number }): WriteLoad {
    return new WriteLoad(client, options.prefix, options.concurrency ?? 2);
  }

  /** The people whose registration the API acknowledged (201). */
  get acknowledged(): string[] {
    return this.outcomes.filter((outcome) => outcome.status === 201).map((outcome) => outcome.personId);
  }

  /** Resolves once `predicate` holds for the outcomes so far (checked after every answer). */
  async until(predicate: (outcomes: readonly WriteOutcome[]) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.outcomes)) {
      if (Date.now() > deadline) throw new Error(`write load: gave up waiting for ${what}; last outcomes ${JSON.stringify(this.outcomes.slice(-3))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const personId = `${this.prefix}-${this.next++}`;
      const startedAt = Date.now();
      let outcome: WriteOutcome;
      try {
        const response = await this.client('POST', '/people', {
          body: { personId, name: `Load ${personId}`, email: `${personId}@council.example`, roles: ['auditor'] },
        });
        outcome = {
          personId,
          status: response.status,
          ...(typeof response.body?.code === 'string' ? { code: response.body.code as string } : {}),
          ...(response.headers.get('x-correlation-id') ? { correlationId: response.headers.get('x-correlation-id')! } : {}),
          elapsedMs: Date.now() - startedAt,
          startedAt,
        };
      } catch {
        outcome = { personId, status: 'network', elapsedMs: Date.now() - startedAt, startedAt };
      }
      this.outcomes.push(outcome);
      if (outcome.status !== 201) await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
