import { Query } from '@nestjs/cqrs';
import type { DecimalString, Rating } from '@quarterly/domain';
import type { Caller } from '../shared/caller';
import type { ReturnRef } from './execute-on-return';

/**
 * How a figure would rate if it were reported on this return now, exactly as the submission will
 * rate it (the KPI's policy for the return's financial year, quality assurance, the previous
 * figure for a direction-only target): what decides whether the reason and the route to green are
 * asked for. Only someone who may report on the return may ask.
 */
export class RateFigureQuery extends Query<Rating> {
  constructor(
    readonly target: Pick<ReturnRef, 'kpiId' | 'periodId'>,
    readonly value: DecimalString | null,
    readonly caller: Pick<Caller, 'principal'>,
  ) {
    super();
  }
}
