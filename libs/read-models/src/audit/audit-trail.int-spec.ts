import { READ_MODEL_TEST_DIALECTS } from '@quarterly/testing/read-model-test-database';
import { ReadModelHarness } from '../testing/read-model-harness';
import { sampleCouncilHistory } from '../testing/sample-history';
import { getAuditTrail } from './audit-trail.queries';

describe.each(READ_MODEL_TEST_DIALECTS)('audit trail on %s', (dialect) => {
  let harness: ReadModelHarness;
  beforeAll(async () => {
    harness = await ReadModelHarness.create(dialect);
    await harness.start();
    await harness.feed(sampleCouncilHistory());
  });
  afterAll(async () => {
    await harness.close();
  });

  it('gives every event of a return in order, with data, actor, instant, correlation and position', async () => {
    const trail = await getAuditTrail(harness.db, { returnId: 'ASC-01:2024/25-Q2' });
    expect(trail.map((e) => [e.type, e.actor, e.revision])).toEqual([
      ['ReturnRequested', 'system:cycle', 0n],
      ['ReturnSubmitted', 's.lead', 1n],
      ['ReturnChallenged', 'd.director', 2n],
      ['ReturnResubmitted', 's.lead', 3n],
      ['ReturnApproved', 'd.director', 4n],
    ]);
    const stored = await harness.store.readStream('return-ASC-01-2024-25-Q2');
    expect(trail.map((e) => e.position)).toEqual(stored.map((e) => e.position));
    expect(trail[2]).toMatchObject({
      streamId: 'return-ASC-01-2024-25-Q2',
      eventId: stored[2]!.id,
      schemaVersion: 1,
      data: { challengedBy: 'd.director', reason: 'Denominator excludes new clients?' },
      recordedAt: '2024-10-21T09:00:00.000Z',
      correlationId: stored[2]!.metadata.correlationId,
      causationId: stored[2]!.metadata.causationId,
    });
  });

  it("gives a KPI's definition stream and all its returns, in global order", async () => {
    const trail = await getAuditTrail(harness.db, { kpiId: 'ASC-02' });
    expect(new Set(trail.map((e) => e.streamId))).toEqual(
      new Set([
        'kpi-ASC-02',
        'return-ASC-02-2024-25-Q1',
        'return-ASC-02-2024-25-Q2',
        'return-ASC-02-2024-25-Q3',
        'return-ASC-02-2024-25-Q4',
        'return-ASC-02-2025-26-Q1',
      ]),
    );
    expect(trail[0]!.type).toBe('KpiDefined');
    const positions = trail.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
  });

  it("gives a cycle's stream and its returns, and pages by position", async () => {
    const trail = await getAuditTrail(harness.db, { cycleId: '2024/25-Q1' });
    expect(trail[0]!.type).toBe('CycleOpened');
    expect(trail[trail.length - 1]!.type).toBe('CycleClosed');
    expect(trail.filter((e) => e.type === 'ReturnRequested')).toHaveLength(3);
    const firstPage = await getAuditTrail(harness.db, { cycleId: '2024/25-Q1' }, { limit: 4 });
    const nextPage = await getAuditTrail(harness.db, { cycleId: '2024/25-Q1' }, { after: firstPage[3]!.position, limit: 100 });
    expect([...firstPage, ...nextPage]).toEqual(trail);
  });
});
