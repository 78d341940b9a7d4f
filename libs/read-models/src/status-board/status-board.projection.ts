import {
  CYCLE_EVENT_TYPES,
  CycleDeadlineExtendedData,
  CycleOpenedData,
  RETURN_EVENT_TYPES,
  ReturnApprovedData,
  ReturnEscalatedData,
  ReturnDueDateChangedData,
  ReturnFigureMarkedNotAvailableData,
  ReturnRequestedData,
  ReturnRestatedData,
  ReturnSubmittedData,
} from '@quarterly/domain';
import { RecordedEvent } from '@quarterly/event-store/event-store.port';
import { Kysely, Updateable } from 'kysely';
import { CycleTable, ReadModelSchema, ReturnTable } from '../database/read-model-schema';
import { Projection } from '../projection/projection';
import { toInstant } from '../shared/column-values';
import { returnIdOfStream, streamRefsOf } from '../shared/stream-refs';

/**
 * The live state of every cycle and return (tables `cycles`, `returns`): what the performance
 * team watches while chasing. Overdue is not stored: it depends on the time of the query.
 */
export class StatusBoardProjection implements Projection {
  readonly name = 'status-board';
  readonly version = 1;
  readonly eventTypes = [...CYCLE_EVENT_TYPES, ...RETURN_EVENT_TYPES];
  readonly tables = ['cycles', 'returns'] as const;

  async apply(trx: Kysely<ReadModelSchema>, event: RecordedEvent): Promise<void> {
    const at = toInstant(event.metadata.recordedAt);
    const position = event.position;
    switch (event.type) {
      case 'CycleOpened': {
        const data = event.data as CycleOpenedData;
        await trx
          .insertInto('cycles')
          .values({
            cycle_id: data.cycleId,
            financial_year: data.financialYear,
            quarter: data.quarter,
            returns_due: data.timetable.returnsDue,
            dmt_review_deadline: data.timetable.dmtReviewDeadline,
            clt_date: data.timetable.cltDate,
            publication_date: data.timetable.publicationDate,
            state: 'open',
            requested_count: data.requestedReturns.length,
            opened_at: at,
            closed_at: null,
            last_position: position,
          })
          .onConflict((oc) => oc.column('cycle_id').doNothing())
          .execute();
        return;
      }
      case 'CycleDeadlineExtended': {
        const data = event.data as CycleDeadlineExtendedData;
        await this.updateCycle(trx, event, {
          ...(data.deadline === 'returnsDue' ? { returns_due: data.to } : { dmt_review_deadline: data.to }),
        });
        return;
      }
      case 'CycleClosed':
        await this.updateCycle(trx, event, { state: 'closed', closed_at: at });
        return;
      case 'ReturnRequested': {
        const data = event.data as ReturnRequestedData;
        await trx
          .insertInto('returns')
          .values({
            return_id: data.returnId,
            kpi_id: data.kpiId,
            cycle_id: data.cycleId,
            financial_year: data.financialYear,
            quarter: data.quarter,
            period_covered: data.periodCovered,
            expected_months: JSON.stringify(data.expectedMonths),
            due_date: data.dueDate,
            kpi_title: data.kpi.title,
            directorate: data.kpi.directorate,
            owner: data.kpi.owner,
            key_contacts: JSON.stringify(data.kpi.keyContacts),
            unit: data.kpi.unit,
            polarity: data.kpi.polarity,
            frequency: data.kpi.frequency,
            measure_type: data.kpi.measureType,
            state: 'requested',
            value: null,
            rating: null,
            submitted_by: null,
            submitted_at: null,
            approved_by: null,
            approved_at: null,
            escalation_level: 'none',
            challenge_count: 0,
            reminder_count: 0,
            chaser_count: 0,
            requested_at: at,
            updated_at: at,
            last_position: position,
          })
          .onConflict((oc) => oc.column('return_id').doNothing())
          .execute();
        return;
      }
      case 'ReturnSubmitted':
      case 'ReturnResubmitted': {
        const data = event.data as ReturnSubmittedData;
        await this.updateReturn(trx, event, {
          state: event.type === 'ReturnSubmitted' ? 'submitted' : 'resubmitted',
          value: data.value,
          rating: JSON.stringify(data.rating),
          submitted_by: data.submittedBy,
          submitted_at: at,
        });
        return;
      }
      case 'ReturnFigureMarkedNotAvailable': {
        const data = event.data as ReturnFigureMarkedNotAvailableData;
        await this.updateReturn(trx, event, {
          state: 'marked_not_available',
          value: null,
          rating: null,
          submitted_by: data.markedBy,
          submitted_at: at,
        });
        return;
      }
      case 'ReturnChallenged':
        await this.updateReturn(trx, event, { state: 'challenged' }, 'challenge_count');
        return;
      case 'ReturnApproved': {
        const data = event.data as ReturnApprovedData;
        await this.updateReturn(trx, event, {
          state: 'approved',
          value: data.value,
          rating: JSON.stringify(data.rating),
          approved_by: data.approvedBy,
          approved_at: at,
        });
        return;
      }
      case 'ReturnEscalated': {
        const data = event.data as ReturnEscalatedData;
        await this.updateReturn(trx, event, { escalation_level: data.level });
        return;
      }
      case 'ReturnRestated': {
        const data = event.data as ReturnRestatedData;
        await this.updateReturn(trx, event, {
          state: 'restated',
          value: data.value,
          rating: JSON.stringify(data.rating),
          submitted_by: data.restatedBy,
          submitted_at: at,
        });
        return;
      }
      case 'ReturnDueDateChanged': {
        const data = event.data as ReturnDueDateChangedData;
        await this.updateReturn(trx, event, { due_date: data.to });
        return;
      }
      case 'ReturnReminderSent':
        await this.updateReturn(trx, event, {}, 'reminder_count');
        return;
      case 'ReturnChased':
        await this.updateReturn(trx, event, {}, 'chaser_count');
        return;
    }
  }

  private async updateCycle(
    trx: Kysely<ReadModelSchema>,
    event: RecordedEvent,
    changes: Updateable<CycleTable>,
  ): Promise<void> {
    const cycleId = streamRefsOf(event.streamId).cycleId;
    if (cycleId === null) return;
    await trx
      .updateTable('cycles')
      .set({ ...changes, last_position: event.position })
      .where('cycle_id', '=', cycleId)
      .where('last_position', '<', event.position)
      .execute();
  }

  /**
   * Updates a return unless this event is already reflected (its `last_position` is at or past
   * the event): re-applying an event never double-counts a challenge or a reminder.
   */
  private async updateReturn(
    trx: Kysely<ReadModelSchema>,
    event: RecordedEvent,
    changes: Updateable<ReturnTable>,
    increment?: 'challenge_count' | 'reminder_count' | 'chaser_count',
  ): Promise<void> {
    const { returnId } = returnIdOfStream(event.streamId);
    await trx
      .updateTable('returns')
      .set((eb) => ({
        ...(increment ? { [increment]: eb(increment, '+', 1) } : {}),
        ...changes,
        updated_at: toInstant(event.metadata.recordedAt),
        last_position: event.position,
      }))
      .where('return_id', '=', returnId)
      .where('last_position', '<', event.position)
      .execute();
  }
}
