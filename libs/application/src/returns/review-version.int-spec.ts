import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rate, returnDecider, returnStreamId, type Rating } from '@quarterly/domain';
import { SqliteEventStore, type RecordedEvent } from '@quarterly/event-store';
import { ConcurrentChangeError, EventSourcedCommandExecutor, StaleRevisionError, type CommandEnvelope } from '@quarterly/platform/commands/event-sourced-command-executor';
import { EventScript } from '@quarterly/read-models/testing/event-script';
import { KpiRegister, PeopleDirectory } from '../shared/directory.port';
import { UseCaseBus } from '../use-case-bus';
import { UseCaseDependencies } from '../use-case-dependencies';
import { ReviewChangesQuery } from './review-changes.query';
import { returnReviewVersion } from './review-version';

/** The query reads only the return's and the KPI's streams; these ports are never asked. */
class UnusedDirectory extends PeopleDirectory {
  everyone(): never {
    throw new Error('not read by this query');
  }
}
class UnusedRegister extends KpiRegister {
  allKpiIds(): never {
    throw new Error('not read by this query');
  }
}

const CYCLE = '2026/27-Q2';
const STREAM = returnStreamId('REV-01', CYCLE);
const GREEN: Rating = rate('96', { kind: 'thresholds', green: '95', amber: '90' }, { polarity: 'higher_is_better', labels: 'green_amber_red', financialYear: '2026/27' });
const approval = (envelope: CommandEnvelope) => ({
  type: 'ApproveReturn' as const,
  returnId: `REV-01:${CYCLE}`,
  data: {},
  context: { actor: envelope.actor, roles: ['dmt' as const], now: envelope.now },
});

describe('a return\'s review version, against a real SQLite store', () => {
  let directory: string;
  let store: SqliteEventStore;
  let executor: EventSourcedCommandExecutor;
  let script: EventScript;
  let sequence = 0;
  const envelope = (actor = 'd.director'): CommandEnvelope => {
    sequence += 1;
    return { actor, now: '2026-10-20T10:00:00Z', correlationId: `c-${sequence}`, causationId: `c-${sequence}` };
  };
  /** Appends what the script has built since the last call (the engine's or another person's events). */
  const append = async (built: EventScript) => {
    for (const { streamId, event } of built.drain()) await store.appendToStream(streamId, [event], { expectedRevision: 'any' });
  };
  const typesOf = async () => (await store.readStream(STREAM)).map((event) => event.type);
  const read = () => executor.load(STREAM, returnDecider, returnReviewVersion);
  const approve = (ifMatch: bigint, loaded?: readonly RecordedEvent[]) => {
    const env = envelope();
    return executor.execute({
      streamId: STREAM,
      decider: returnDecider,
      command: approval(env),
      envelope: env,
      ifMatch,
      versionOf: returnReviewVersion,
      describeState: (state) => state.status,
      ...(loaded ? { loaded } : {}),
    });
  };

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'quarterly-review-version-'));
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

  it('stays at the submission through a reminder, a chaser, a moved due date and an automatic escalation', async () => {
    const submitted = await read();
    expect(submitted.version).toBe(submitted.revision);
    await append(script.remind('REV-01', CYCLE, '2026-10-14').changeDueDate('REV-01', CYCLE, '2026-10-14', '2026-10-21').chase('REV-01', CYCLE, 1).escalate('REV-01', CYCLE, 'dmt'));
    const later = await read();
    expect(later.revision).toBe(submitted.revision! + 4n);
    expect(later.version).toBe(submitted.version);
  });

  it("moves with a challenge, a resubmission and a person's escalation", async () => {
    const submitted = await read();
    await append(script.challenge('REV-01', CYCLE, 'Check the denominator.'));
    const challenged = await read();
    expect(challenged.version).toBe(submitted.version! + 1n);
    await append(script.resubmit('REV-01', CYCLE, '97', GREEN).escalate('REV-01', CYCLE, 'clt', 'd.director'));
    expect((await read()).version).toBe(challenged.version! + 2n);
  });

  it('approves against the version read before a deadline extension moved the due date', async () => {
    const { version } = await read();
    await append(script.changeDueDate('REV-01', CYCLE, '2026-10-14', '2026-10-21'));
    const outcome = await approve(version!);
    expect(outcome.state.status).toBe('approved');
    // The receipt's version is the approval's revision: what the next reviewer would send.
    expect(outcome.version).toBe(outcome.revision);
    expect(await typesOf()).toEqual(['ReturnRequested', 'ReturnSubmitted', 'ReturnDueDateChanged', 'ReturnApproved']);
  });

  it('refuses (412, naming the state) an approval against the version read before a resubmission', async () => {
    const { version } = await read();
    await append(script.challenge('REV-01', CYCLE, 'Check the denominator.').resubmit('REV-01', CYCLE, '97', GREEN));
    const refused = await approve(version!).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StaleRevisionError);
    expect(refused).toMatchObject({ currentState: 'resubmitted', expected: version, actual: version! + 2n });
    expect(await typesOf()).not.toContain('ReturnApproved');
  });

  it('decides again on the fresh stream when only a reminder landed between its read and its append', async () => {
    const { version, events } = await read();
    // A chaser is recorded after the reviewer's command read the stream and before it appends.
    await append(script.chase('REV-01', CYCLE, 1));
    const outcome = await approve(version!, events);
    expect(outcome.state.status).toBe('approved');
    expect(await typesOf()).toEqual(['ReturnRequested', 'ReturnSubmitted', 'ReturnChased', 'ReturnApproved']);
  });

  it('is refused (409) when what landed between its read and its append is a judged change', async () => {
    const { version, events } = await read();
    await append(script.challenge('REV-01', CYCLE, 'Check the denominator.'));
    const refused = await approve(version!, events).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConcurrentChangeError);
    expect(refused).toMatchObject({ currentState: 'challenged' });
    expect(await typesOf()).toEqual(['ReturnRequested', 'ReturnSubmitted', 'ReturnChallenged']);
  });

  it('lists what changed in what the reviewer judged since the version they saw, leaving out reminders', async () => {
    const { version } = await read();
    await append(script.at('2026-10-15T09:00:00Z').remind('REV-01', CYCLE, '2026-10-14').challenge('REV-01', CYCLE, 'Check the denominator.', 'p.officer'));
    await append(script.at('2026-10-16T09:00:00Z').chase('REV-01', CYCLE, 1).resubmit('REV-01', CYCLE, '97', GREEN, 's.lead'));
    const useCases = new UseCaseBus(new UseCaseDependencies({ executor, directory: new UnusedDirectory(), kpiRegister: new UnusedRegister() }));
    const { current, changes } = await useCases.query(new ReviewChangesQuery('REV-01', CYCLE, version!));
    expect(changes.map((change) => [change.event.type, change.actor, change.recordedAt])).toEqual([
      ['ReturnChallenged', 'p.officer', '2026-10-15T09:00:00.000Z'],
      ['ReturnResubmitted', 's.lead', '2026-10-16T09:00:00.000Z'],
    ]);
    expect(current.record.status).toBe('resubmitted');
    expect(current.version).toBe(changes[1]!.revision);
  });
});
