import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { returnIdOf, type AudienceMember, type KpiRecord } from '@quarterly/domain';
import { UseCaseDependencies } from '../use-case-dependencies';
import { executeOnReturn } from './execute-on-return';
import { RecordNoticeCommand, type Notice, type NoticeOutcome } from './record-notice.command';

@CommandHandler(RecordNoticeCommand)
export class RecordNoticeHandler implements ICommandHandler<RecordNoticeCommand> {
  constructor(private readonly dependencies: UseCaseDependencies) {}

  async execute({ target, notice, caller }: RecordNoticeCommand): Promise<NoticeOutcome> {
    let recipients: readonly string[] = [];
    const outcome = await executeOnReturn(this.dependencies, target, caller, async ({ kpi }, context) => {
      recipients = recipientsOf(notice, kpi, await this.dependencies.directory.everyone([kpi.owner, ...kpi.keyContacts]));
      const returnId = returnIdOf(target.kpiId, target.periodId);
      return notice.kind === 'reminder'
        ? { type: 'RecordReminderSent', returnId, context, data: { rule: notice.rule, recipients, dueDate: notice.dueDate, noticeKey: notice.noticeKey } }
        : { type: 'RecordChase', returnId, context, data: { rule: notice.rule, recipients, workingDaysOverdue: notice.workingDaysOverdue, noticeKey: notice.noticeKey } };
    });
    return { ...outcome, recipients };
  }
}

function recipientsOf(notice: Notice, kpi: KpiRecord, people: ReadonlyMap<string, AudienceMember>): string[] {
  if (notice.kind === 'chase' && notice.rule === 'dmt_review_overdue') {
    return [...people.values()].filter((p) => p.active && p.roles.includes('dmt') && p.directorate === kpi.directorate).map((p) => p.personId);
  }
  return [...new Set([kpi.owner, ...kpi.keyContacts])].filter((id) => people.get(id)?.active);
}
