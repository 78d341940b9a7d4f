import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changesWhatReviewerJudges, rate, returnDecider, returnStreamId, type Rating } from '@quarterly/domain';
import { SqliteEventStore, type RecordedEvent } from '@quarterly/event-store';
import {
  ConcurrentChangeError,
  EventSourcedCommandExecutor,
  StaleRevisionError,
  type CommandEnvelope,
} from '@quarterly/platform/commands/event-sourced-command-executor';
import { EventScript } from '@quarterly/read-models/testing/event-script';
import { KpiRegister, PeopleDirectory } from '../shared/directory.port';
import { UseCaseBus } from '../use-case-bus';
import { UseCaseDependencies } from '../use-case-dependencies';
import { ReviewChangesQuery } from './review-changes.query';

/** The query reads only the return's and the KPI's streams; these ports are never asked. */
class UnusedDirectory extends PeopleDirectory {
  everyone(): never {
    throw new Error('not read by this query');
  }
  holderOfSignInId(): never {
    throw new Error('not read by this query');
  }
}
class UnusedRegister extends KpiRegister {
  allKpiIds(): never {
    throw new Error('not read by this query');
  }
  facts(): never {
    throw new Error('not read by this query');
  }
}

const CYCLE = '2026/27-Q2';
const STREAM = returnStreamId('REV-01', CYCLE);
const GREEN: Rating = rate('96', { kind: 'thresholds', green: '95', amber: '90' }, { polarity: 'higher_is_better', labels: 'green_amber_red', financialYear: '2026/27' });

// The executor as the application layer drives it for a return (executeOnReturn): If-Match and a
// concurrent change are judged by what a reviewer judges, against a real SQLite store.
describe("a reviewer's If-Match on a return", () => {
  let directory: string;
  let store: SqliteEventStore;
  let executor: EventSourcedCommandExecutor;
  let script: EventScript;
  let sequence = 0;
  /** Appends what the script has built since the last call (the engine's or another person's events). */
  const append = async (built: EventScript) => {
    for (const { streamId, event } of built.drain()) await store.appendToStream(streamId, [event], { expectedRevision: 'any' });
  };
  const typesOf = async () => (await store.readStream(STREAM)).map((event) => event.type);
  const read = () => executor.load(STREAM, returnDecider);
  const approve = (ifMatch: bigint, loaded?: readonly RecordedEvent[]) => {
    sequence += 1;
    const envelope: CommandEnvelope = { actor: 'd.director', now: '2026-10-20T10:00:00Z', correlationId: `c-${sequence}`, causationId: `c-${sequence}` };
    return executor.execute({
      streamId: STREAM,
      decider: returnDecider,
      command: { type: 'ApproveReturn', returnId: `REV-01:${CYCLE}`, data: {}, context: { actor: envelope.actor, roles: ['dmt'], now: envelope.now } },
      envelope,
      ifMatch,
      makesStale: changesWhatReviewerJudges,
      describeState: (state) => state.status,
      ...(loaded ? { loaded } : {}),
    });
  };
  const refusalOf = (attempt: Promise<unknown>) => attempt.then(() => undefined, (error: unknown) => error);

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'quarterly-if-match-'));
    store = new SqliteEventStore({ filename: join(directory, 'events.sqlite') });
    executor = new EventSourcedCommandExecutor(store);
    script = new EventScript().at('2026-10-01T09:00:00Z').kpi('REV-01').openCycle(CYCLE, ['REV-01'], '2026-10-14');
    await append(script);
    await append(script.at('2026-10-10T09:00:00Z').submit('REV-01', CYCLE, '96', GREEN));
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('still holds after a reminder, a moved due date, a chaser and an automatic escalation', async () => {
    const { revision } = await read();
    await append(script.remind('REV-01', CYCLE, '2026-10-14').changeDueDate('REV-01', CYCLE, '2026-10-14', '2026-10-21').chase('REV-01', CYCLE, 1).escalate('REV-01', CYCLE, 'dmt'));
    const outcome = await approve(revision!);
    expect(outcome.state.status).toBe('approved');
    // The answer's version is the stream's revision: the representation changed, so did its ETag.
    expect(outcome.revision).toBe(revision! + 5n);
    expect(await typesOf()).toEqual(['ReturnRequested', 'ReturnSubmitted', 'ReturnReminderSent', 'ReturnDueDateChanged', 'ReturnChased', 'ReturnEscalated', 'ReturnApproved']);
  });

  it('is refused (412, naming the state now) after a challenge and resubmission', async () => {
    const { revision } = await read();
    await append(script.challenge('REV-01', CYCLE, 'Check the denominator.').resubmit('REV-01', CYCLE, '97', GREEN));
    const refused = await refusalOf(approve(revision!));
    expect(refused).toBeInstanceOf(StaleRevisionError);
    expect(refused).toMatchObject({ currentState: 'resubmitted', expected: revision, actual: revision! + 2n });
    expect(await typesOf()).not.toContain('ReturnApproved');
  });

  it("is refused after a person's escalation, which a reviewer judges too", async () => {
    const { revision } = await read();
    await append(script.escalate('REV-01', CYCLE, 'clt', 'd.director'));
    expect(await refusalOf(approve(revision!))).toBeInstanceOf(StaleRevisionError);
  });

  it('is refused for a version the return never had, and for one before the submission', async () => {
    const { revision } = await read();
    expect(await refusalOf(approve(revision! + 1n))).toBeInstanceOf(StaleRevisionError);
    expect(await refusalOf(approve(revision! - 1n))).toMatchObject({ currentState: 'submitted', actual: revision });
  });

  it('decides again on the fresh stream when only a chaser landed between its read and its append', async () => {
    const { revision, events } = await read();
    // A chaser is recorded after the reviewer's command read the stream and before it appends.
    await append(script.chase('REV-01', CYCLE, 1));
    const outcome = await approve(revision!, events);
    expect(outcome.state.status).toBe('approved');
    expect(await typesOf()).toEqual(['ReturnRequested', 'ReturnSubmitted', 'ReturnChased', 'ReturnApproved']);
  });

  it('is refused (409) when what landed between its read and its append is a judged change', async () => {
    const { revision, events } = await read();
    await append(script.challenge('REV-01', CYCLE, 'Check the denominator.'));
    const refused = await refusalOf(approve(revision!, events));
    expect(refused).toBeInstanceOf(ConcurrentChangeError);
    expect(refused).toMatchObject({ currentState: 'challenged' });
    expect(await typesOf()).toEqual(['ReturnRequested', 'ReturnSubmitted', 'ReturnChallenged']);
  });

  it('lists what changed in what the reviewer judged since the version they saw, leaving out reminders', async () => {
    const { revision } = await read();
    await append(script.at('2026-10-15T09:00:00Z').remind('REV-01', CYCLE, '2026-10-14').challenge('REV-01', CYCLE, 'Check the denominator.', 'p.officer'));
    await append(script.at('2026-10-16T09:00:00Z').chase('REV-01', CYCLE, 1).resubmit('REV-01', CYCLE, '97', GREEN, 's.lead'));
    const useCases = new UseCaseBus(new UseCaseDependencies({ executor, directory: new UnusedDirectory(), kpiRegister: new UnusedRegister() }));
    const { current, changes } = await useCases.query(new ReviewChangesQuery('REV-01', CYCLE, revision!));
    expect(changes.map((change) => [change.event.type, change.actor, change.recordedAt])).toEqual([
      ['ReturnChallenged', 'p.officer', '2026-10-15T09:00:00.000Z'],
      ['ReturnResubmitted', 's.lead', '2026-10-16T09:00:00.000Z'],
    ]);
    expect(current.record.status).toBe('resubmitted');
    expect(current.revision).toBe(changes[1]!.revision);
  });
});
