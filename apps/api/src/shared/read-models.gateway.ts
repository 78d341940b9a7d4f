import { BadRequestException, Injectable } from '@nestjs/common';
import { QuarterlyEngine } from '@quarterly/platform';
import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '@quarterly/read-models';
import type { Response } from 'express';

/** How long a query waits for the projections to reach a position before answering anyway. */
const CONSISTENCY_WAIT_MS = 3_000;

/**
 * Access to the read models with read-your-writes: a query waits until the projections have
 * applied the position the client names (`?after=` from a command's receipt) or, failing that,
 * the last position this instance wrote. If they do not get there in time the answer is served
 * anyway, marked `X-Read-Model-Stale: true`, rather than failing.
 */
@Injectable()
export class ReadModelsGateway {
  constructor(private readonly engine: QuarterlyEngine) {}

  async db(after: string | undefined, response: Response): Promise<Kysely<ReadModelSchema>> {
    const position = after !== undefined ? parsePosition(after) : this.engine.executor.lastAppendedPosition;
    if (position !== undefined) {
      try {
        await this.engine.waitForProjections(position, CONSISTENCY_WAIT_MS);
      } catch {
        response.setHeader('X-Read-Model-Stale', 'true');
      }
    }
    return this.engine.readModels.db;
  }
}

function parsePosition(value: string): bigint {
  if (!/^\d{1,19}$/.test(value)) throw new BadRequestException('after must be an event position (a whole number) from a command receipt');
  return BigInt(value);
}
