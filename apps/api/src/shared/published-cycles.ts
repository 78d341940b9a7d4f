import { ForbiddenException } from '@nestjs/common';
import type { Principal } from '@quarterly/platform';
import { isPublishedCycle, listCycles, type ReadModelSchema } from '@quarterly/read-models';
import type { Kysely } from 'kysely';

/** True when the person reads as a councillor only: published periods and nothing else. */
export function readsPublishedOnly(principal: Principal): boolean {
  return principal.roles.length > 0 && principal.roles.every((role) => role === 'member');
}

/** The cycles closed and published, for a councillor's history; undefined (no limit) for staff. */
export async function visibleCyclesFor(db: Kysely<ReadModelSchema>, principal: Principal): Promise<string[] | undefined> {
  if (!readsPublishedOnly(principal)) return undefined;
  return (await listCycles(db)).filter(isPublishedCycle).map((c) => c.cycleId);
}

/** 403 `not_published_yet`: a councillor asked for a period the performance team has not published. */
export class NotPublishedYetException extends ForbiddenException {
  readonly problemExtensions = { code: 'not_published_yet' };

  constructor(cycleId: string) {
    super(`the ${cycleId} figures are not published yet`);
  }
}

/** A councillor asking for a period not yet published: 403 saying so. */
export async function assertPeriodVisible(db: Kysely<ReadModelSchema>, cycleId: string, principal: Principal): Promise<void> {
  const visible = await visibleCyclesFor(db, principal);
  if (visible !== undefined && !visible.includes(cycleId)) throw new NotPublishedYetException(cycleId);
}
