import { Query } from '@nestjs/cqrs';
import type { PeriodId, ReturnEvent } from '@quarterly/domain';
import type { ReturnOnRecord } from './return-on-record.reader';

/** One change to what a reviewer judges, as the return's stream recorded it. */
export interface ReviewChange {
  readonly revision: bigint;
  readonly event: ReturnEvent;
  /** Who made the change (a person's id, or `system:<name>`). */
  readonly actor: string;
  /** When it was recorded (ISO 8601). */
  readonly recordedAt: string;
}

/**
 * What changed in what a reviewer judges since the version they saw (the figure, its narrative,
 * its stage, a person's escalation), oldest first, with the return as it stands now: what a page
 * shows a reviewer whose decision was refused as stale, before asking them to review again.
 */
export class ReviewChangesQuery extends Query<{ readonly current: ReturnOnRecord; readonly changes: readonly ReviewChange[] }> {
  constructor(
    readonly kpiId: string,
    readonly periodId: PeriodId,
    /** The version (ETag) the reviewer decided on. */
    readonly seenVersion: bigint,
  ) {
    super();
  }
}
