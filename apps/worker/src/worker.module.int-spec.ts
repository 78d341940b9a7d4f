import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { EventScript } from '@quarterly/read-models/testing/event-script';
import { ReminderTestHarness } from '@quarterly/reminders/testing/reminder-test-harness';
import { WorkerModule } from './worker.module';

describe('WorkerModule (NestJS, @nestjs/bullmq processors)', () => {
  let harness: ReminderTestHarness;
  let app: INestApplicationContext;

  beforeEach(async () => {
    harness = await ReminderTestHarness.create({ now: '2025-10-01T08:00:00Z', startWorkers: false });
    app = await NestFactory.createApplicationContext(WorkerModule.forRuntime(harness.runtime), { logger: false });
  });

  afterEach(async () => {
    await app.close();
    await harness.close();
  });

  it('fires timers and sends their mail through its processors', async () => {
    await harness.append(
      new EventScript()
        .at('2025-10-01T08:00:00Z')
        .person('s.lead', 'Sam Lead', ['service-lead'], 'Health, Care and Wellbeing')
        .kpi('ASC-01', { title: 'Direct payments' }, 's.lead', [])
        .openCycle('2025/26-Q2', ['ASC-01'], '2025-10-14'),
    );
    await harness.advanceTo('2025-10-14T08:00:00Z');
    // Three sending runs have passed: the cycle's opening (the owner told of the request), three
    // working days before the due date, and the due date.
    const mails = await harness.smtp.waitForMails(3);
    await harness.settle();
    expect(mails.map((m) => m.subject).sort()).toEqual([
      'Quarterly returns: 1 return due (1 Oct 2025)',
      'Quarterly returns: 1 return due (14 Oct 2025)',
      'Quarterly returns: 1 return due (9 Oct 2025)',
    ]);
    expect(mails.every((m) => m.to[0] === 's.lead@council.example')).toBe(true);
  });
});
