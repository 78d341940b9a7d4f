import { ForbiddenException } from '@nestjs/common';
import type { Principal } from '@quarterly/platform';
import { getCycle, type ReadModelSchema } from '@quarterly/read-models';
import type { Kysely } from 'kysely';

/**
 * Who may read a quarter's scorecard: staff always; members (councillors) once the cycle is
 * closed and published. One rule for the JSON API, the pages and every export.
 */
export async function assertScorecardVisible(db: Kysely<ReadModelSchema>, cycleId: string, principal: Principal): Promise<void> {
  const staff = principal.roles.some((role) => role !== 'member');
  if (staff) return;
  const cycle = await getCycle(db, cycleId);
  if (cycle?.state !== 'closed') throw new ForbiddenException(`the ${cycleId} scorecard is not published yet`);
}
