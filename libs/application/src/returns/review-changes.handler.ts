import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { changesWhatReviewerJudges, type ReturnEvent } from '@quarterly/domain';
import { toDomainEvent } from '@quarterly/platform/commands/domain-event-codec';
import { UseCaseDependencies } from '../use-case-dependencies';
import { ReviewChangesQuery, type ReviewChange } from './review-changes.query';

@QueryHandler(ReviewChangesQuery)
export class ReviewChangesHandler implements IQueryHandler<ReviewChangesQuery> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  async execute({ kpiId, periodId, seenVersion }: ReviewChangesQuery) {
    const current = await this.dependencies.returns.load(kpiId, periodId);
    const changes: ReviewChange[] = [];
    for (const recorded of current.events) {
      if (recorded.revision <= seenVersion) continue;
      const event = toDomainEvent<ReturnEvent>(recorded);
      if (changesWhatReviewerJudges(event)) changes.push({ revision: recorded.revision, event, actor: recorded.metadata.actor, recordedAt: recorded.metadata.recordedAt });
    }
    return { current, changes };
  }
}
