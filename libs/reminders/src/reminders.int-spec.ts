import { returnStreamId } from '@quarterly/domain';
import type { RecordedEvent } from '@quarterly/event-store';
import { EventScript, ratingOf } from '@quarterly/read-models/testing/event-script';
import type { ReceivedMail } from '@quarterly/testing/smtp-test-server';
import { digestKey } from './mail/notice-mail.service';
import { ReminderTestHarness } from './testing/reminder-test-harness';

const CYCLE = '2025/26-Q2';
const DUE = '2025-10-14';
const GREEN = ratingOf('green', '2025/26', { kind: 'thresholds', green: '75', amber: '70' });

function council(): EventScript {
  return new EventScript()
    .at('2025-10-01T08:00:00Z')
    .person('s.lead', 'Sam Lead', ['service-lead'], 'Health, Care and Wellbeing')
    .person('k.contact', 'Kim Contact', ['service-lead'], 'Health, Care and Wellbeing')
    .person('d.director', 'Dee Director', ['dmt'], 'Health, Care and Wellbeing')
    .person('p.director', 'Pat Director', ['dmt'], 'Place')
    .person('c.exec', 'Chris Exec', ['clt'])
    .kpi('ASC-01', { title: 'Direct payments' })
    .kpi('ASC-02', { title: 'Care home admissions' })
    .openCycle(CYCLE, ['ASC-01', 'ASC-02'], DUE);
}

async function notices(harness: ReminderTestHarness, kpiId: string): Promise<RecordedEvent[]> {
  const events = await harness.engine.store.readStream(returnStreamId(kpiId, CYCLE));
  return events.filter((e) => ['ReturnReminderSent', 'ReturnChased', 'ReturnEscalated'].includes(e.type));
}

const mailsTo = (mails: readonly ReceivedMail[], personId: string) =>
  mails.filter((m) => m.to.includes(`${personId}@council.example`));

describe('reminders, chasers and escalations (real Redis, BullMQ, SMTP)', () => {
  let harness: ReminderTestHarness;

  beforeEach(async () => {
    harness = await ReminderTestHarness.create({ now: '2025-10-01T08:00:00Z' });
  });

  afterEach(async () => {
    await harness.close();
  });

  it('schedules a requested return’s timers as one delayed job, the first, carrying the other eight in firing order', async () => {
    await harness.append(council());
    const delayed = await harness.runtime.timersQueue.getDelayed();
    expect(delayed).toHaveLength(2);
    const reminder = delayed.find((j) => j.data.returnId === 'ASC-01:2025/26-Q2')!;
    expect(reminder.data).toMatchObject({ kind: 'reminder', workingDaysFromAnchor: -3, fireAt: '2025-10-09T08:00:00.000Z' });
    expect(reminder.id).toBe(reminder.data.jobId);
    expect(reminder.id).not.toContain(':');
    const chain = [reminder.data, ...reminder.data.then!];
    expect(chain.map((t) => `${t.kind}@${t.fireAt}`)).toEqual([
      'reminder@2025-10-09T08:00:00.000Z',
      'reminder@2025-10-14T08:00:00.000Z',
      'chaser@2025-10-16T08:00:00.000Z',
      'escalate_dmt@2025-10-17T08:00:00.000Z',
      'chaser@2025-10-20T08:00:00.000Z',
      'chaser@2025-10-22T08:00:00.000Z',
      'escalate_clt@2025-10-24T08:00:00.000Z',
      // 9:00 local time in GMT, after the clocks went back on 26 October.
      'chaser@2025-10-28T09:00:00.000Z',
      'chaser@2025-10-30T09:00:00.000Z',
    ]);
  });

  it('tells each owner and key contact once when a cycle opens, listing every return asked of them', async () => {
    await harness.append(council());
    await harness.settle();
    expect(harness.smtp.mails).toHaveLength(2);
    const [digest] = mailsTo(harness.smtp.mails, 's.lead');
    expect(digest!.subject).toBe('Quarterly returns: 2 returns due (1 Oct 2025)');
    expect(digest!.text).toContain('ASC-01 Direct payments (Health, Care and Wellbeing): due 14 Oct 2025, in 9 working days');
    expect(digest!.text).toContain('https://quarterly.council.example/app/returns/ASC-02/2025-26-Q2');
    expect(mailsTo(harness.smtp.mails, 'k.contact')).toHaveLength(1);
    expect(mailsTo(harness.smtp.mails, 'd.director')).toEqual([]);
    // Every return the opening requested carries the opening's time: one digest job per person.
    expect((await harness.runtime.mailQueue.getCompleted()).map((j) => j.id).sort()).toEqual([
      digestKey('k.contact', '2025-10-01T08:00:00.000Z'),
      digestKey('s.lead', '2025-10-01T08:00:00.000Z'),
    ]);
    // Nothing is recorded on the returns for it: the request is the record.
    expect(await notices(harness, 'ASC-01')).toEqual([]);
  });

  it('reads the opening’s digest when it is sent: a return already submitted is not listed', async () => {
    const windowed = await ReminderTestHarness.create({ now: '2025-10-01T08:00:00Z', digestWindowMs: 120_000 });
    try {
      const script = council();
      await windowed.append(script);
      await windowed.append(script.at('2025-10-01T08:01:00Z').submit('ASC-02', CYCLE, '80', GREEN));
      await windowed.settle();
      expect(windowed.smtp.mails).toEqual([]);
      await windowed.advanceTo('2025-10-01T08:02:00Z');
      await windowed.settle();
      const [digest] = mailsTo(windowed.smtp.mails, 's.lead');
      expect(digest!.subject).toBe('Quarterly returns: 1 return due (1 Oct 2025)');
      expect(digest!.text).toContain('ASC-01 Direct payments');
      expect(digest!.text).not.toContain('ASC-02');
    } finally {
      await windowed.close();
    }
  });

  it('tells the owner and key contacts of a challenge straight away, with the DMT’s reason, as ownership stands then', async () => {
    const script = council();
    await harness.append(script);
    await harness.takeMails(); // the opening's digests
    await harness.append(
      script
        .at('2025-10-13T10:00:00Z')
        .submit('ASC-02', CYCLE, '81', GREEN)
        .at('2025-10-14T09:00:00Z')
        .person('n.lead', 'Nat Lead', ['service-lead'], 'Health, Care and Wellbeing')
        .changeOwner('ASC-02', 'n.lead', ['k.contact']),
    );
    await harness.append(script.at('2025-10-15T10:00:00Z').challenge('ASC-02', CYCLE, 'Does not match the September extract'));
    await harness.advanceTo('2025-10-15T10:00:00Z');
    await harness.settle();
    // The clock jumped a fortnight: the reminder runs before it went out too; the challenge's run is 15 October.
    const told = harness.smtp.mails.filter((m) => m.subject.endsWith('(15 Oct 2025)'));
    expect(told.map((m) => m.to[0]).sort()).toEqual(['k.contact@council.example', 'n.lead@council.example']);
    expect(mailsTo(told, 'k.contact')[0]!.text).toContain('challenged: Does not match the September extract');
    const [newOwners] = mailsTo(told, 'n.lead');
    expect(newOwners!.subject).toBe('Quarterly returns: 1 return challenged (15 Oct 2025)');
    expect(newOwners!.text).toContain('ASC-02 Care home admissions (Health, Care and Wellbeing): challenged: Does not match the September extract');
    expect(newOwners!.html).toContain('challenged: Does not match the September extract');
    expect(mailsTo(told, 's.lead')).toEqual([]);
  });

  it('adds the next timer of the chain as a job when one fires, and ends the chain after the last', async () => {
    await harness.append(council());
    const [first] = (await harness.runtime.timersQueue.getDelayed()).filter((j) => j.data.returnId === 'ASC-01:2025/26-Q2');
    const planned = [first!.data, ...first!.data.then!];
    const pendingForAsc01 = async () =>
      (await harness.runtime.timersQueue.getDelayed()).filter((j) => j.data.returnId === 'ASC-01:2025/26-Q2').map((j) => j.id);
    for (const [i, timer] of planned.entries()) {
      expect(await pendingForAsc01()).toEqual([timer.jobId]);
      await harness.advanceTo(timer.fireAt);
      await harness.settle();
      expect(await pendingForAsc01()).toEqual(i + 1 < planned.length ? [planned[i + 1]!.jobId] : []);
    }
    // Every timer of the plan fired, each under its own job id, once.
    const completed = (await harness.runtime.timersQueue.getCompleted(0, 100)).filter((j) => j.data.returnId === 'ASC-01:2025/26-Q2');
    expect(completed.map((j) => j.id).sort()).toEqual(planned.map((t) => t.jobId).sort());
    expect((await notices(harness, 'ASC-01')).map((e) => e.type)).toEqual([
      'ReturnReminderSent',
      'ReturnReminderSent',
      'ReturnChased',
      'ReturnEscalated',
      'ReturnChased',
      'ReturnChased',
      'ReturnEscalated',
      'ReturnChased',
      'ReturnChased',
    ]);
  });

  it('fires timers due together as one batch: each judged on its own, every chain passed on, the digests queued', async () => {
    const script = council();
    await harness.append(script);
    await harness.append(script.at('2025-10-08T10:00:00Z').submit('ASC-02', CYCLE, '80', GREEN));
    const delayed = await harness.runtime.timersQueue.getDelayed();
    const firstOf = (kpiId: string) => delayed.find((j) => j.data.returnId === `${kpiId}:${CYCLE}` && j.data.kind === 'reminder')!.data;
    const [asc01, asc02] = [firstOf('ASC-01'), firstOf('ASC-02')];

    const results = await harness.runtime.firing.fireBatch([asc01, asc02]);
    // ASC-01 is still owed: reminded. ASC-02 was submitted: nothing to say, and no mail for it.
    expect(results).toEqual([
      { status: 'fulfilled', value: 'recorded' },
      { status: 'fulfilled', value: 'not_due' },
    ]);
    const [reminder, ...more] = await notices(harness, 'ASC-01');
    expect(more).toEqual([]);
    expect(await notices(harness, 'ASC-02')).toEqual([]);
    // Both chains go on, whatever their timer found.
    const pending = (await harness.runtime.timersQueue.getDelayed()).map((j) => j.id);
    expect(pending).toEqual(expect.arrayContaining([asc01.then![0]!.jobId, asc02.then![0]!.jobId]));
    // The recorded reminder's recipients, each in their digest of the run.
    const recipients = (reminder!.data as { recipients: string[] }).recipients;
    expect(recipients.length).toBeGreaterThan(0);
    const digests = (await harness.runtime.mailQueue.getJobs(['delayed', 'waiting'])).map((j) => j.id).sort();
    expect(digests).toEqual(recipients.map((personId) => digestKey(personId, asc01.fireAt)).sort());

    // Fired again (a retry of the whole batch): the notice is a repeat, nothing new is recorded.
    expect(await harness.runtime.firing.fireBatch([asc01, asc02])).toEqual([
      { status: 'fulfilled', value: 'repeated' },
      { status: 'fulfilled', value: 'not_due' },
    ]);
    expect(await notices(harness, 'ASC-01')).toHaveLength(1);
  });

  it('reminds, chases and escalates at the working-day moments, once, with every notice on the record', async () => {
    const script = council();
    await harness.append(script);
    await harness.takeMails(); // the opening's digests

    await harness.advanceTo('2025-10-09T08:00:00Z');
    await harness.settle();
    // One digest per person for the run, listing both returns.
    expect(harness.smtp.mails).toHaveLength(2);
    const [digest] = mailsTo(harness.smtp.mails, 's.lead');
    expect(digest!.subject).toBe('Quarterly returns: 2 returns due (9 Oct 2025)');
    expect(digest!.text).toContain('https://quarterly.council.example/app/returns/ASC-01/2025-26-Q2');
    expect(digest!.html).toContain('href="https://quarterly.council.example/app/returns/ASC-02/2025-26-Q2"');
    expect(mailsTo(harness.smtp.mails, 'k.contact')).toHaveLength(1);
    // The timers handed their reminders straight to the two digests: no mail job per notice.
    expect((await harness.runtime.mailQueue.getCompleted()).map((j) => j.id).filter((id) => id!.endsWith('2025-10-09T080000000Z')).sort()).toEqual([
      'digest.k.contact.2025-10-09T080000000Z',
      'digest.s.lead.2025-10-09T080000000Z',
    ]);
    expect((await notices(harness, 'ASC-01')).map((e) => [e.type, e.data])).toEqual([
      [
        'ReturnReminderSent',
        { rule: 'before_deadline', recipients: ['s.lead', 'k.contact'], dueDate: DUE, noticeKey: `reminder.${DUE}.before3` },
      ],
    ]);

    await harness.append(script.at('2025-10-10T10:00:00Z').submit('ASC-02', CYCLE, '80', GREEN));
    await harness.advanceTo('2025-10-17T08:00:00Z');
    await harness.settle();

    const asc01 = await notices(harness, 'ASC-01');
    expect(asc01.map((e) => [e.type, (e.data as { rule: string }).rule])).toEqual([
      ['ReturnReminderSent', 'before_deadline'],
      ['ReturnReminderSent', 'on_deadline'],
      ['ReturnChased', 'overdue'],
      ['ReturnEscalated', 'overdue'],
    ]);
    expect(asc01[2]!.data).toMatchObject({ workingDaysOverdue: 2, recipients: ['s.lead', 'k.contact'] });
    expect(asc01[3]!.data).toMatchObject({
      level: 'dmt',
      escalatedBy: 'system:reminders',
      notified: { to: ['s.lead'], cc: ['k.contact', 'd.director'] },
    });
    // The submitted return is not chased.
    expect((await notices(harness, 'ASC-02')).map((e) => e.type)).toEqual(['ReturnReminderSent']);

    const escalations = harness.smtp.mails.filter((m) => m.subject.startsWith('Escalated'));
    expect(escalations).toHaveLength(1);
    expect(escalations[0]!.subject).toBe('Escalated to DMT: ASC-01 Direct payments');
    expect(escalations[0]!.to).toEqual(['s.lead@council.example']);
    expect(escalations[0]!.cc).toEqual(['k.contact@council.example', 'd.director@council.example']);
    expect(escalations[0]!.text).toContain('3 working days overdue (due 2025-10-14)');
    // Two more runs (on the day, first chaser) for each of the two people, and the escalation.
    expect(harness.smtp.mails).toHaveLength(2 + 4 + 1);
    // Both later runs fire while the clock jumps, so they may arrive in either order.
    const laterDigests = mailsTo(harness.smtp.mails, 's.lead').filter((m) => m.subject.startsWith('Quarterly returns')).slice(1);
    expect(laterDigests).toHaveLength(2);
    for (const later of laterDigests) {
      expect(later.text).toContain('ASC-01 Direct payments');
      expect(later.text).not.toContain('ASC-02');
    }
  });

  it('reminds the KPI’s new owner when ownership changes mid-cycle', async () => {
    const script = council();
    await harness.append(script);
    await harness.takeMails(); // the opening's digests
    await harness.append(
      script.at('2025-10-02T09:00:00Z').person('n.lead', 'Nat Lead', ['service-lead'], 'Health, Care and Wellbeing').changeOwner('ASC-01', 'n.lead', []),
    );
    await harness.advanceTo('2025-10-09T08:00:00Z');
    await harness.settle();
    expect((await notices(harness, 'ASC-01')).map((e) => (e.data as { recipients: string[] }).recipients)).toEqual([['n.lead']]);
    const [newOwners] = mailsTo(harness.smtp.mails, 'n.lead');
    expect(newOwners!.subject).toBe('Quarterly returns: 1 return due (9 Oct 2025)');
    expect(newOwners!.text).toContain('ASC-01 Direct payments');
    const [formerOwners] = mailsTo(harness.smtp.mails, 's.lead');
    expect(formerOwners!.text).toContain('ASC-02 Care home admissions');
    expect(formerOwners!.text).not.toContain('ASC-01');
  });

  it('moves the timers when the due date changes', async () => {
    const script = council();
    await harness.append(script);
    await harness.append(script.at('2025-10-02T09:00:00Z').changeDueDate('ASC-01', CYCLE, DUE, '2025-10-21'));
    await harness.advanceTo('2025-10-16T08:00:00Z');
    await harness.settle();
    // The old due date's reminders and first chaser are stale; the new date's first reminder is due.
    const asc01 = await notices(harness, 'ASC-01');
    expect(asc01.map((e) => e.data)).toEqual([
      { rule: 'before_deadline', recipients: ['s.lead', 'k.contact'], dueDate: '2025-10-21', noticeKey: 'reminder.2025-10-21.before3' },
    ]);
  });

  it('chases an unanswered challenge, escalates it, and chases the DMT for an overdue review', async () => {
    const script = council();
    await harness.append(script);
    await harness.takeMails(); // the opening's digests
    await harness.append(
      script
        .at('2025-10-13T10:00:00Z')
        .submit('ASC-01', CYCLE, '80', GREEN)
        .submit('ASC-02', CYCLE, '81', GREEN)
        .at('2025-10-15T10:00:00Z')
        .challenge('ASC-02', CYCLE, 'Does not match the September extract'),
    );
    // The DMT review deadline is 21 October; the challenge was on Wednesday 15 October.
    await harness.advanceTo('2025-10-22T08:00:00Z');
    await harness.settle();

    expect((await notices(harness, 'ASC-01')).map((e) => e.data)).toEqual([
      expect.objectContaining({ rule: 'dmt_review_overdue', recipients: ['d.director'], workingDaysOverdue: 1 }),
    ]);
    expect((await notices(harness, 'ASC-02')).map((e) => [e.type, e.data])).toEqual([
      ['ReturnChased', expect.objectContaining({ rule: 'challenge_not_answered', workingDaysOverdue: 2 })],
      ['ReturnChased', expect.objectContaining({ rule: 'challenge_not_answered', workingDaysOverdue: 4 })],
      ['ReturnEscalated', expect.objectContaining({ level: 'dmt', rule: 'challenge_not_answered', notified: { to: ['s.lead'], cc: ['k.contact', 'd.director'] } })],
    ]);
    const [review] = mailsTo(harness.smtp.mails, 'd.director').filter((m) => m.subject.startsWith('Quarterly returns'));
    expect(review!.subject).toBe('Quarterly returns: 1 to review (22 Oct 2025)');
    expect(review!.text).toContain('ASC-01 Direct payments (Health, Care and Wellbeing): review was due 21 Oct 2025');
    const challenged = mailsTo(harness.smtp.mails, 's.lead').filter((m) => m.subject.startsWith('Quarterly returns'));
    // The runs fire while the clock jumps a week, so they may arrive in any order: the challenge
    // itself (told at once), then its chasers.
    expect(challenged.map((m) => m.subject).sort()).toEqual([
      'Quarterly returns: 1 return challenged (15 Oct 2025)',
      'Quarterly returns: 1 return challenged (17 Oct 2025)',
      'Quarterly returns: 1 return challenged (21 Oct 2025)',
    ]);
  });

  it('moves the DMT review chasers when the review deadline is extended', async () => {
    const script = council();
    await harness.append(script);
    await harness.append(script.at('2025-10-13T10:00:00Z').submit('ASC-01', CYCLE, '80', GREEN));
    await harness.engine.store.appendToStream(
      'cycle-2025-26-Q2',
      [
        {
          id: '6f1c4f0e-1d2a-4e7b-9c1a-5b7d1c2e3f40',
          type: 'CycleDeadlineExtended',
          schemaVersion: 1,
          data: { deadline: 'dmtReviewDeadline', from: '2025-10-21', to: '2025-10-28', reason: 'half term' },
          metadata: { actor: 'p.officer', correlationId: 'c', causationId: 'c', recordedAt: '2025-10-20T09:00:00.000Z' },
        },
      ],
      { expectedRevision: 'any' },
    );
    await harness.advanceTo('2025-10-22T08:00:00Z');
    await harness.settle();
    expect(await notices(harness, 'ASC-01')).toEqual([]);
    const moved = (await harness.runtime.timersQueue.getDelayed()).filter((j) => j.data.kind === 'dmt_review_chaser' && j.data.anchorDate === '2025-10-28');
    expect(moved).toHaveLength(1);
    expect([moved[0]!.data, ...moved[0]!.data.then!].map((t) => t.fireAt)).toEqual(['2025-10-29T09:00:00.000Z', '2025-10-31T09:00:00.000Z', '2025-11-04T09:00:00.000Z']);

    await harness.advanceTo('2025-10-29T09:00:00Z');
    await harness.settle();
    expect((await notices(harness, 'ASC-01')).map((e) => (e.data as { rule: string }).rule)).toEqual(['dmt_review_overdue']);
  });

  it('does not chase the returns of a closed cycle', async () => {
    const script = council();
    await harness.append(script);
    await harness.advanceTo('2025-10-14T08:00:00Z');
    await harness.settle();
    await harness.append(script.at('2025-10-15T16:00:00Z').closeCycle(CYCLE, ['ASC-01:2025/26-Q2', 'ASC-02:2025/26-Q2']));
    await harness.advanceTo('2025-10-17T08:00:00Z');
    await harness.settle();
    // The reminders went out before the cycle closed; the chaser and escalation after it did not.
    expect((await notices(harness, 'ASC-01')).map((e) => e.type)).toEqual(['ReturnReminderSent', 'ReturnReminderSent']);
    expect(harness.smtp.mails.some((m) => m.subject.startsWith('Escalated'))).toBe(false);
  });

  it('adds no job and sends no mail when the events are replayed from zero or a timer fires twice', async () => {
    await harness.append(council());
    await harness.takeMails(); // the opening's digests
    await harness.advanceTo('2025-10-09T08:00:00Z');
    await harness.settle();
    const counts = async () => ({
      timers: await harness.runtime.timersQueue.getJobCounts(),
      mail: await harness.runtime.mailQueue.getJobCounts(),
    });
    const before = await counts();
    expect(harness.smtp.mails).toHaveLength(2);
    // The replay finds the cycle's opening past the catch-up window: no one is told of it again.

    const stored = await harness.engine.store.readAll({ limit: 10_000 });
    for (const event of harness.engine.executor.codec.decodeOnly(harness.runtime.scheduler.eventTypes, stored)) {
      await harness.runtime.scheduler.handle(event);
    }
    const [fired] = await harness.runtime.timersQueue.getCompleted();
    expect(await harness.runtime.firing.fire(fired!.data)).toBe('repeated');
    await harness.settle();

    expect(await counts()).toEqual(before);
    expect(harness.smtp.mails).toHaveLength(2);
    expect(await notices(harness, 'ASC-01')).toHaveLength(1);
  });

  it('mails an escalation a person made to exactly the people it names, once, and not one a replay finds long past', async () => {
    const script = council();
    await harness.append(script);
    await harness.append(
      script.at('2025-10-01T09:00:00Z').escalate('ASC-02', CYCLE, 'dmt', 'd.director', { to: ['s.lead'], cc: ['d.director'] }),
    );
    await harness.settle();
    const escalations = () => harness.smtp.mails.filter((m) => m.subject.startsWith('Escalated'));
    expect(escalations().map((m) => [m.subject, m.to, m.cc])).toEqual([
      ['Escalated to DMT: ASC-02 Care home admissions', ['s.lead@council.example'], ['d.director@council.example']],
    ]);

    // Recorded four days before the worker sees it (as after a replay into a new Redis): history, not news.
    await harness.advanceTo('2025-10-06T09:00:00Z');
    await harness.append(script.at('2025-10-02T09:00:00Z').escalate('ASC-01', CYCLE, 'dmt', 'd.director', { to: ['s.lead'], cc: [] }));
    const stored = await harness.engine.store.readAll({ limit: 10_000 });
    for (const event of harness.engine.executor.codec.decodeOnly(harness.runtime.scheduler.eventTypes, stored)) {
      await harness.runtime.scheduler.handle(event);
    }
    await harness.settle();
    expect(escalations()).toHaveLength(1);
  });

  it('retries with backoff while the SMTP server is down and delivers once when it is back', async () => {
    await harness.append(council());
    await harness.takeMails(); // the opening's digests
    await harness.smtp.stop();
    await harness.advanceTo('2025-10-09T08:00:00Z');
    // Wait until both digests have failed their first attempt and wait for their backoff.
    for (let i = 0; i < 200; i += 1) {
      const failed = (await harness.runtime.mailQueue.getDelayed()).filter((j) => j.data.type === 'digest' && j.attemptsMade >= 1);
      if (failed.length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const waiting = (await harness.runtime.mailQueue.getDelayed()).filter((j) => j.data.type === 'digest');
    expect(waiting.map((j) => j.attemptsMade)).toEqual([1, 1]);
    expect(waiting[0]!.failedReason).toMatch(/SMTP delivery/);

    await harness.smtp.start();
    // The backoff (2 s) runs in real time: the only wait in this suite longer than a poll.
    await harness.smtp.waitForMails(2, 8_000);
    await harness.settle();
    expect(harness.smtp.mails.map((m) => m.to[0]).sort()).toEqual(['k.contact@council.example', 's.lead@council.example']);
  });
});
