import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Rating } from '@quarterly/domain';
import { UseCaseDependencies } from '../use-case-dependencies';
import { RateFigureQuery } from './rate-figure.query';
import { assertMayActOnReturn } from './return-access.policy';

@QueryHandler(RateFigureQuery)
export class RateFigureHandler implements IQueryHandler<RateFigureQuery> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  async execute({ target, value, caller }: RateFigureQuery): Promise<Rating> {
    const onRecord = await this.dependencies.returns.load(target.kpiId, target.periodId);
    assertMayActOnReturn(caller.principal, onRecord.kpi);
    return this.dependencies.returns.rate(onRecord, value);
  }
}
