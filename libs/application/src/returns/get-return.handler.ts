import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { UseCaseDependencies } from '../use-case-dependencies';
import { GetReturnQuery } from './get-return.query';
import type { ReturnOnRecord } from './return-on-record.reader';

@QueryHandler(GetReturnQuery)
export class GetReturnHandler implements IQueryHandler<GetReturnQuery> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  execute({ kpiId, periodId }: GetReturnQuery): Promise<ReturnOnRecord> {
    return this.dependencies.returns.load(kpiId, periodId);
  }
}
