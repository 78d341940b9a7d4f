import { returnStreamId } from '@quarterly/domain';
import type { RecordedEvent } from '@quarterly/event-store';
import { EventScript, ratingOf } from '@quarterly/read-models/testing/event-script';
import type { ReceivedMail } from '@quarterly/testing/smtp-test-server';
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

  it('schedules every timer of a requested return as a delayed job', async () => {
    await harness.append(council());
    const delayed = await harness.runtime.timersQueue.getDelayed();
    expect(delayed).toHaveLength(2 * 9);
    const reminder = delayed.find((j) => j.data.returnId === 'ASC-01:2025/26-Q2' && j.data.kind === 'reminder' && j.data.workingDaysFromAnchor === -3);
    expect(reminder?.data.fireAt).toBe('2025-10-09T08:00:00.000Z');
    expect(reminder?.id).not.toContain(':');
  });

  it('reminds, chases and escalates at the working-day moments, once, with every notice on the record', async () => {
    const script = council();
    await harness.append(script);

    await harness.advanceTo('2025-10-09T08:00:00Z');
    await harness.settle();
    // One digest per person for the run, listing both returns.
    expect(harness.smtp.mails).toHaveLength(2);
    const [digest] = mailsTo(harness.smtp.mails, 's.lead');
    expect(digest!.subject).toBe('Quarterly returns: 2 returns due (9 Oct 2025)');
    expect(digest!.text).toContain('https://quarterly.council.example/returns/ASC-01%3A2025%2F26-Q2');
    expect(digest!.html).toContain('href="https://quarterly.council.example/returns/ASC-02%3A2025%2F26-Q2"');
    expect(mailsTo(harness.smtp.mails, 'k.contact')).toHaveLength(1);
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
    expect(asc01[3]!.data).toMatchObject({ level: 'dmt', escalatedBy: 'system:reminders' });
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
    const lastDigest = mailsTo(harness.smtp.mails, 's.lead').at(-1)!;
    expect(lastDigest.text).toContain('ASC-01 Direct payments');
    expect(lastDigest.text).not.toContain('ASC-02');
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

  it('adds no job and sends no mail when the events are replayed from zero or a timer fires twice', async () => {
    await harness.append(council());
    await harness.advanceTo('2025-10-09T08:00:00Z');
    await harness.settle();
    const counts = async () => ({
      timers: await harness.runtime.timersQueue.getJobCounts(),
      mail: await harness.runtime.mailQueue.getJobCounts(),
    });
    const before = await counts();
    expect(harness.smtp.mails).toHaveLength(2);

    for (const event of await harness.engine.store.readAll({ limit: 10_000 })) {
      if (harness.runtime.scheduler.eventTypes.includes(event.type)) await harness.runtime.scheduler.handle(event);
    }
    const [fired] = await harness.runtime.timersQueue.getCompleted();
    expect(await harness.runtime.firing.fire(fired!.data)).toBe('repeated');
    await harness.settle();

    expect(await counts()).toEqual(before);
    expect(harness.smtp.mails).toHaveLength(2);
    expect(await notices(harness, 'ASC-01')).toHaveLength(1);
  });

  it('retries with backoff while the SMTP server is down and delivers once when it is back', async () => {
    await harness.append(council());
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
