import { Query } from '@nestjs/cqrs';
import type { PeriodId } from '@quarterly/domain';
import type { ReturnOnRecord } from './return-on-record.reader';

/**
 * A return as it stands, with its KPI and its version (the ETag a reviewer sends back).
 * Anyone who may read returns may read it; acting on it is checked by each use case.
 */
export class GetReturnQuery extends Query<ReturnOnRecord> {
  constructor(
    readonly kpiId: string,
    readonly periodId: PeriodId,
  ) {
    super();
  }
}
