import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { changesWhatReviewerJudges } from '@quarterly/domain';
import { UseCaseDependencies } from '../use-case-dependencies';
import { ReviewChangesQuery, type ReviewChange } from './review-changes.query';

@QueryHandler(ReviewChangesQuery)
export class ReviewChangesHandler implements IQueryHandler<ReviewChangesQuery> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  async execute({ kpiId, periodId, seenVersion }: ReviewChangesQuery) {
    const current = await this.dependencies.returns.load(kpiId, periodId);
    const changes: ReviewChange[] = [];
    // The return's events, decoded (and upcast) by the executor's codec.
    for (const event of current.events) {
      if (event.revision <= seenVersion) continue;
      if (changesWhatReviewerJudges(event)) changes.push({ revision: event.revision, event, actor: event.metadata.actor, recordedAt: event.metadata.recordedAt });
    }
    return { current, changes };
  }
}
