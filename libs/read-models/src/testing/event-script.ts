/**
 * Builds realistic event histories for read-model tests and benchmarks: people, KPIs, targets,
 * cycles and return lifecycles, in the shapes of the domain's event files. Instants come from
 * `at()`, never from the clock; event ids are UUIDs.
 */
import { randomUUID } from 'node:crypto';
import {
  cycleStreamId,
  CycleTimetable,
  formatPeriodId,
  KpiDescription,
  kpiStreamId,
  parsePeriodId,
  personStreamId,
  quarterEndDate,
  Rating,
  RatingPolicy,
  RatingStatus,
  returnIdOf,
  returnStreamId,
  Role,
} from '@quarterly/domain';
import { EventStore, NewEvent, RecordedEvent, WrongExpectedRevisionError } from '@quarterly/event-store/event-store.port';

export interface ScriptedEvent {
  readonly streamId: string;
  readonly event: NewEvent;
}

export const baseDescription: KpiDescription = {
  title: '% of social care clients receiving direct payments',
  definition: 'Adults receiving long-term community support who receive a direct payment, as a % of all such adults.',
  directorate: 'Health, Care and Wellbeing',
  serviceArea: 'Adult Social Care',
  planOutcome: '3.2 A healthy city where people thrive',
  unit: 'percentage',
  decimalPlaces: 1,
  polarity: 'higher_is_better',
  frequency: 'quarterly',
  measureType: 'snapshot',
  dataSource: 'Case management system, month-end extract',
  limitations: '',
  benchmarkSources: ['national average'],
  labels: 'green_amber_red',
};

const LABELS: Record<RatingStatus, string> = { green: 'Green', amber: 'Amber', red: 'Red', met: 'Met', not_met: 'Not met' };

/** A stored rating as the domain would have produced it. */
export function ratingOf(status: RatingStatus | null, financialYear: string, policy: RatingPolicy | null): Rating {
  return {
    status,
    label: status === null ? null : LABELS[status],
    ...(status === null ? { noStatusReason: policy === null ? 'no_target' : 'tracker' } : {}),
    policy,
    financialYear,
  } as Rating;
}

interface KpiInScript {
  readonly description: KpiDescription;
  readonly owner: string;
  readonly keyContacts: readonly string[];
}

export class EventScript {
  readonly events: ScriptedEvent[] = [];
  private now = '2024-04-01T09:00:00.000Z';
  private readonly kpis = new Map<string, KpiInScript>();
  private correlation = randomUUID();

  /** Later events are recorded at this instant. */
  at(instant: string): this {
    this.now = new Date(instant).toISOString();
    this.correlation = randomUUID();
    return this;
  }

  person(personId: string, name: string, roles: Role[], directorate?: string): this {
    return this.add(personStreamId(personId), 'PersonRegistered', 'p.officer', {
      personId,
      name,
      email: `${personId}@council.example`,
      roles,
      ...(directorate ? { directorate } : {}),
    });
  }

  changePerson(personId: string, changes: { name?: string; email?: string; roles?: Role[]; directorate?: string }): this {
    return this.add(personStreamId(personId), 'PersonDetailsChanged', 'p.officer', changes);
  }

  deactivatePerson(personId: string, reason: string): this {
    return this.add(personStreamId(personId), 'PersonDeactivated', 'p.officer', { reason });
  }

  kpi(kpiId: string, overrides: Partial<KpiDescription> = {}, owner = 's.lead', keyContacts = ['k.contact']): this {
    const description = { ...baseDescription, ...overrides };
    this.kpis.set(kpiId, { description, owner, keyContacts });
    return this.add(kpiStreamId(kpiId), 'KpiDefined', 'p.officer', { kpiId, ...description, owner, keyContacts });
  }

  amendKpi(kpiId: string, changes: Partial<KpiDescription>, reason: string, underQualityAssuranceUntil?: string): this {
    const known = this.known(kpiId);
    this.kpis.set(kpiId, { ...known, description: { ...known.description, ...changes } });
    return this.add(kpiStreamId(kpiId), 'KpiDefinitionAmended', 'p.officer', {
      changes,
      reason,
      ...(underQualityAssuranceUntil ? { underQualityAssuranceUntil } : {}),
    });
  }

  changeOwner(kpiId: string, owner: string, keyContacts: string[]): this {
    this.kpis.set(kpiId, { ...this.known(kpiId), owner, keyContacts });
    return this.add(kpiStreamId(kpiId), 'KpiOwnershipChanged', 'p.officer', { owner, keyContacts, reason: 'restructure' });
  }

  /** A target policy; `model` adds a period, rated figure or last-year basis. */
  target(
    kpiId: string,
    financialYear: string,
    policy: RatingPolicy,
    model: { period?: string; ratedFigure?: string; lastYearBasis?: string } = {},
  ): this {
    return this.add(kpiStreamId(kpiId), 'KpiTargetPolicySet', 'p.officer', { financialYear, policy, ...model });
  }

  retire(kpiId: string, effectiveFrom: string): this {
    return this.add(kpiStreamId(kpiId), 'KpiRetired', 'p.officer', { reason: 'replaced', effectiveFrom });
  }

  /** Opens a cycle and requests a return for each KPI (quarterly periods, due `dueDate`). */
  openCycle(cycleId: string, kpiIds: readonly string[], dueDate?: string): this {
    const { financialYear, quarter } = parsePeriodId(cycleId);
    const end = quarterEndDate(cycleId);
    const due = dueDate ?? addDays(end, 20);
    const timetable: CycleTimetable = {
      returnsDue: due,
      dmtReviewDeadline: addDays(due, 7),
      cltDate: addDays(due, 14),
      publicationDate: addDays(due, 28),
    };
    this.add(cycleStreamId(cycleId), 'CycleOpened', 'p.officer', {
      cycleId,
      financialYear,
      quarter,
      timetable,
      requestedReturns: kpiIds.map((kpiId) => ({
        returnId: returnIdOf(kpiId, cycleId),
        kpiId,
        periodCovered: cycleId,
        expectedMonths: [],
      })),
    });
    for (const kpiId of kpiIds) {
      const { description: d, owner, keyContacts } = this.known(kpiId);
      this.add(returnStreamId(kpiId, cycleId), 'ReturnRequested', 'system:cycle', {
        returnId: returnIdOf(kpiId, cycleId),
        kpiId,
        cycleId,
        financialYear,
        quarter,
        periodCovered: cycleId,
        expectedMonths: [],
        dueDate: due,
        kpi: {
          title: d.title,
          directorate: d.directorate,
          owner,
          keyContacts,
          unit: d.unit,
          decimalPlaces: d.decimalPlaces,
          polarity: d.polarity,
          frequency: d.frequency,
          measureType: d.measureType,
          labels: d.labels,
          ...(d.unitLabel === undefined ? {} : { unitLabel: d.unitLabel }),
        },
      });
    }
    return this;
  }

  extendDeadline(cycleId: string, from: string, to: string): this {
    return this.add(cycleStreamId(cycleId), 'CycleDeadlineExtended', 'p.officer', {
      deadline: 'returnsDue',
      from,
      to,
      reason: 'data delayed',
    });
  }

  closeCycle(cycleId: string, outstandingReturnIds: string[] = []): this {
    return this.add(cycleStreamId(cycleId), 'CycleClosed', 'p.officer', { outstandingReturnIds });
  }

  submit(
    kpiId: string,
    cycleId: string,
    value: string,
    rating: Rating,
    by = 's.lead',
    commentary = 'On plan.',
    beside: { inPeriodValue?: string; yearToDateValue?: string } = {},
  ): this {
    const offTarget = rating.status === 'red' || rating.status === 'amber' || rating.status === 'not_met';
    return this.add(returnStreamId(kpiId, cycleId), 'ReturnSubmitted', by, {
      submittedBy: by,
      value,
      ...beside,
      monthlyValues: [],
      commentary,
      ...(offTarget ? { offTargetReason: 'Staff vacancies', routeToGreen: 'Recruitment under way' } : {}),
      rating,
    });
  }

  resubmit(kpiId: string, cycleId: string, value: string, rating: Rating, by = 's.lead'): this {
    return this.add(returnStreamId(kpiId, cycleId), 'ReturnResubmitted', by, {
      submittedBy: by,
      value,
      monthlyValues: [],
      commentary: 'Corrected after challenge.',
      responseToChallenge: 'Figure re-extracted.',
      rating,
    });
  }

  markNotAvailable(kpiId: string, cycleId: string, reason: string, by = 's.lead'): this {
    return this.add(returnStreamId(kpiId, cycleId), 'ReturnFigureMarkedNotAvailable', by, { markedBy: by, reason });
  }

  challenge(kpiId: string, cycleId: string, reason: string, by = 'd.director'): this {
    return this.add(returnStreamId(kpiId, cycleId), 'ReturnChallenged', by, { challengedBy: by, reason });
  }

  approve(kpiId: string, cycleId: string, value: string | null, rating: Rating, by = 'd.director'): this {
    return this.add(returnStreamId(kpiId, cycleId), 'ReturnApproved', by, { approvedBy: by, value, rating });
  }

  restate(kpiId: string, cycleId: string, previousValue: string | null, value: string, rating: Rating, reason: string, by = 's.lead'): this {
    return this.add(returnStreamId(kpiId, cycleId), 'ReturnRestated', by, {
      restatedBy: by,
      previousValue,
      value,
      monthlyValues: [],
      reason,
      rating,
    });
  }

  escalate(
    kpiId: string,
    cycleId: string,
    level: 'dmt' | 'clt',
    by = 'system:reminders',
    notified?: { to: readonly string[]; cc: readonly string[] },
  ): this {
    return this.add(returnStreamId(kpiId, cycleId), 'ReturnEscalated', by, {
      escalatedBy: by,
      level,
      reason: 'overdue',
      ...(by === 'system:reminders' ? { rule: 'overdue' } : {}),
      ...(notified ? { notified } : {}),
    });
  }

  remind(kpiId: string, cycleId: string, dueDate: string): this {
    return this.add(returnStreamId(kpiId, cycleId), 'ReturnReminderSent', 'system:reminders', {
      rule: 'before_deadline',
      recipients: [this.known(kpiId).owner],
      dueDate,
      noticeKey: `reminder:${kpiId}:${cycleId}:${this.events.length}`,
    });
  }

  chase(kpiId: string, cycleId: string, workingDaysOverdue: number): this {
    return this.add(returnStreamId(kpiId, cycleId), 'ReturnChased', 'system:reminders', {
      rule: 'overdue',
      recipients: [this.known(kpiId).owner],
      workingDaysOverdue,
      noticeKey: `chase:${kpiId}:${cycleId}:${this.events.length}`,
    });
  }

  changeDueDate(kpiId: string, cycleId: string, from: string, to: string): this {
    return this.add(returnStreamId(kpiId, cycleId), 'ReturnDueDateChanged', 'system:cycle', { from, to, reason: 'deadline extended' });
  }

  /** Hands over the events built so far and forgets them; the KPIs defined stay known. */
  drain(): ScriptedEvent[] {
    return this.events.splice(0, this.events.length);
  }

  /** The events as a store would record them, positions 1, 2, 3… and revisions per stream. */
  recorded(): RecordedEvent[] {
    const revisions = new Map<string, bigint>();
    return this.events.map(({ streamId, event }, index) => {
      const revision = revisions.has(streamId) ? revisions.get(streamId)! + 1n : 0n;
      revisions.set(streamId, revision);
      return { ...event, streamId, revision, position: BigInt(index + 1) };
    });
  }

  /** Appends every event to a real store, in order; returns the last position. */
  async appendTo(store: EventStore): Promise<bigint> {
    let last = 0n;
    for (const { streamId, event } of this.events) {
      if (event.type !== 'ReturnRequested') {
        last = (await store.appendToStream(streamId, [event], { expectedRevision: 'any' })).lastPosition;
        continue;
      }
      // A running engine's cycle process manager requests the returns of the CycleOpened just
      // appended, many at once, and may request this one first: its ReturnRequested then stands
      // for the script's (a return is requested once), and the caller waits for its position.
      try {
        last = (await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' })).lastPosition;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        const [first] = await store.readStream(streamId);
        if (first?.type !== 'ReturnRequested') throw error;
        if (first.position > last) last = first.position;
      }
    }
    return last;
  }

  private known(kpiId: string): KpiInScript {
    const kpi = this.kpis.get(kpiId);
    if (!kpi) throw new Error(`the script has not defined KPI ${kpiId}`);
    return kpi;
  }

  private add(streamId: string, type: string, actor: string, data: unknown): this {
    const id = randomUUID();
    this.events.push({
      streamId,
      event: {
        id,
        type,
        schemaVersion: 1,
        data,
        metadata: { actor, correlationId: this.correlation, causationId: id, recordedAt: this.now },
      },
    });
    return this;
  }
}

/** The quarter id of a financial year's quarter, e.g. `cycleOf('2024/25', 2)`. */
export const cycleOf = formatPeriodId;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
