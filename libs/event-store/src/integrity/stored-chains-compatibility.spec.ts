import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedEvent } from '../event-store.port';
import { InMemoryEventLog, verifyEventLog } from './event-log.verifier';
import { hashEvent } from './event-hash';

/**
 * `fixtures/chained-events.v1.json`: 13 events and 2 anchors as `HashChainingEventStore` and
 * `IntegrityAnchorRecorder` stored them in SQLite before hashing and verifying were made faster
 * (commit of 2026-11-30): keys out of order, integer-like and non-ASCII keys, escapes, a lone
 * surrogate, numbers such as 1e21. Chains stored by earlier code must verify unchanged.
 */
function storedEvents(): RecordedEvent[] {
  const rows = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'chained-events.v1.json'), 'utf8')) as Array<RecordedEvent & { revision: string; position: string }>;
  return rows.map((row) => ({ ...row, revision: BigInt(row.revision), position: BigInt(row.position) }));
}

describe('chains stored by earlier code', () => {
  it('give the same hash for every event, and verify whole with their anchors', async () => {
    const events = storedEvents();
    for (const event of events) expect(hashEvent(event, event.metadata.integrity!.previousHash)).toBe(event.metadata.integrity!.hash);
    const report = await verifyEventLog(new InMemoryEventLog(events), { pageSize: 4 });
    expect(report).toMatchObject({ ok: true, eventsChecked: 13, anchorsChecked: 2, unchainedEvents: 0, unanchoredEvents: 0 });
  });

  it('still name a changed figure among them', async () => {
    const events = storedEvents();
    const victim = events.find((event) => event.streamId === 'return-ENV-01-2026-27-Q1' && event.revision === 2n)!;
    (victim.data as Record<string, unknown>)['b'] = 'B2';
    const report = await verifyEventLog(new InMemoryEventLog(events));
    expect(report.firstProblem).toMatchObject({ kind: 'content_changed', eventId: victim.id, revision: '2' });
  });
});
