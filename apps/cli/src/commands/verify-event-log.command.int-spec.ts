import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@quarterly/event-store';
import { loadAppConfig, QuarterlyEngine, SQLITE_FILE_NAME } from '@quarterly/platform';
import { EventScript } from '@quarterly/read-models/testing/event-script';
import { anchorCommand, verifyEventLogCommand } from './verify-event-log.command';

/**
 * The one-off step of docs/deployment.md: a store written before hash chaining began is verified
 * (and refused: nothing vouches for its events), anchored once, then verified; later appends
 * chain onward from the events before them, and an edited old event is still caught.
 */
describe('verify and anchor on a store written before hash chaining', () => {
  let directory: string;
  let engine: QuarterlyEngine | undefined;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'quarterly-legacy-'));
    // An earlier release wrote these straight to the store: no hashes.
    const legacy = new SqliteEventStore({ filename: join(directory, SQLITE_FILE_NAME) });
    await new EventScript().at('2025-04-01T09:00:00Z').person('s.lead', 'Sam Lead', ['service-lead']).kpi('ENV-01').kpi('ENV-02').appendTo(legacy);
    await legacy.close();
    const config = loadAppConfig({ QUARTERLY_STORE: 'sqlite', QUARTERLY_DATA_DIR: directory, JWT_SECRET: 'legacy-test-secret-0123456789abcdefghijkl', LOG_LEVEL: 'silent' });
    engine = await QuarterlyEngine.open(config);
  });
  afterEach(async () => {
    await engine?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('refuses to vouch for unchained events until the one-off anchoring, which says what it covered', async () => {
    const before = await verifyEventLogCommand(engine!, {});
    expect(before.report).toMatchObject({ ok: false, eventsChecked: 3, unchainedEvents: 3, firstProblem: { kind: 'unchained', streamId: 'person-s.lead' } });
    expect(before.summary).toMatch(/^NOT VERIFIED: 3 problem\(s\)/);

    const anchored = await anchorCommand(engine!);
    expect(anchored.report.anchors).toEqual([expect.objectContaining({ sequence: 1, afterPosition: null, eventCount: 3, unchainedEventCount: 3 })]);
    expect(anchored.summary).toMatch(/^anchored 3 event\(s\), positions start\.\.3, in 1 anchor\(s\) \(1\.\.1\)\.\n3 of them were stored before hash chaining began/);
    expect(anchored.summary).toContain(anchored.report.digestLines[0]);

    expect((await verifyEventLogCommand(engine!, {})).report).toMatchObject({ ok: true, unchainedEvents: 3, unanchoredEvents: 0, anchorsChecked: 1 });
    expect((await anchorCommand(engine!)).summary).toBe('nothing to anchor: every event is already covered by an anchor');
  });

  it('chains new events onto old ones, and still catches an old event edited afterwards', async () => {
    await anchorCommand(engine!);
    const script = new EventScript().at('2026-07-01T09:00:00Z');
    script.kpi('ENV-01'); // known to the script, not appended
    script.drain();
    await script.changeOwner('ENV-01', 'a.owner', []).appendTo(engine!.store);
    const stream = await engine!.store.readStream('kpi-ENV-01');
    expect(stream[1]!.metadata.integrity).toBeDefined();
    expect((await verifyEventLogCommand(engine!, { streamId: 'kpi-ENV-01' })).report).toMatchObject({ ok: true, eventsChecked: 2 });

    const raw = new Database(join(directory, SQLITE_FILE_NAME));
    try {
      raw.prepare(`UPDATE events SET data = json_set(data, '$.title', 'Another title') WHERE stream_id = 'kpi-ENV-01' AND revision = 0`).run();
    } finally {
      raw.close();
    }
    const after = await verifyEventLogCommand(engine!, {});
    expect(after.report.ok).toBe(false);
    expect(after.report.firstProblem).toMatchObject({ streamId: 'kpi-ENV-01' });
    expect(after.report.problems.map((problem) => problem.kind)).toEqual(expect.arrayContaining(['stream_head_mismatch', 'chain_broken']));
  });
});
