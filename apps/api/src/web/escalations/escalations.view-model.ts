import { returnDecider, returnStreamId } from '@quarterly/domain';
import type { QuarterlyEngine } from '@quarterly/platform';
import { getStatusBoard, listCycles, listPeople } from '@quarterly/read-models';
import { stageLabel } from '../../shared/plain-english';
import { returnPagePath } from '../shared/return-paths';
import { timelineOf, type TimelineEntry } from '../return-page/return-timeline';

export interface EscalationRow {
  readonly href: string;
  readonly kpiId: string;
  readonly title: string;
  readonly directorate: string;
  readonly period: string;
  readonly stage: string;
  /** The escalation to CLT: who, when, why. */
  readonly escalation: TimelineEntry;
  /** Every reminder and chaser before it, oldest first. */
  readonly chasers: readonly TimelineEntry[];
}

/**
 * Returns of the open cycles escalated to CLT, most recent escalation first, each with the
 * reminders and chasers that went before it (read from the return's own stream).
 */
export async function escalationsToClt(engine: QuarterlyEngine, now: Date): Promise<EscalationRow[]> {
  const people = await listPeople(engine.readModels.db, { includeInactive: true });
  const names = new Map(people.map((p) => [p.personId, p.name]));
  const nameOf = (id: string) => names.get(id) ?? id;
  const rows: EscalationRow[] = [];
  for (const cycle of (await listCycles(engine.readModels.db)).filter((c) => c.state === 'open')) {
    const board = await getStatusBoard(engine.readModels.db, cycle.cycleId, { now, filter: { escalated: true } });
    for (const row of (board?.returns ?? []).filter((r) => r.escalationLevel === 'clt')) {
      const { events } = await engine.executor.load(returnStreamId(row.kpiId, cycle.cycleId), returnDecider);
      const decoded = events.map((event) => ({ event, revision: event.revision, recordedAt: String(event.metadata.recordedAt) }));
      const timeline = timelineOf(decoded, nameOf);
      const index = decoded.findLastIndex(({ event }) => event.type === 'ReturnEscalated' && event.data.level === 'clt');
      const escalation = timeline[index];
      if (!escalation) continue;
      rows.push({
        href: returnPagePath(row.kpiId, cycle.cycleId),
        kpiId: row.kpiId,
        title: row.kpiTitle,
        directorate: row.directorate,
        period: cycle.cycleId,
        stage: stageLabel(row.state),
        escalation,
        chasers: timeline.filter((entry) => entry.type === 'ReturnReminderSent' || entry.type === 'ReturnChased'),
      });
    }
  }
  return rows.sort((a, b) => b.escalation.at.localeCompare(a.escalation.at));
}
