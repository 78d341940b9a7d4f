import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HashChainingEventStore, type NewEvent, SqliteEventStore } from '@quarterly/event-store';
import { IntegrityVerifications } from './integrity-verifications.service';

const NOW = new Date('2026-11-30T10:00:00Z');

function figure(value: string): NewEvent {
  const id = randomUUID();
  return { id, type: 'ReturnSubmitted', schemaVersion: 1, data: { value, submittedBy: 's.lead' }, metadata: { actor: 's.lead', correlationId: id, causationId: id, recordedAt: '2026-10-14T09:30:00.000Z' } };
}

describe('IntegrityVerifications (whole-store checks in the background, real SQLite)', () => {
  let directory: string;
  let file: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'quarterly-verifications-'));
    file = join(directory, 'events.sqlite');
    store = new SqliteEventStore({ filename: file });
    const chained = new HashChainingEventStore(store);
    // 10 streams of 120 events: 1,200 events, 12 pages of 100.
    for (let stream = 0; stream < 10; stream += 1) {
      await chained.appendToStream(`return-ENV-${stream}-2026-27-Q1`, Array.from({ length: 120 }, (_, i) => figure(`${stream}.${i}`)), { expectedRevision: 'no_stream' });
    }
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('answers at once with a running verification, lets other work run between pages, and keeps the report', async () => {
    const verifications = new IntegrityVerifications(store, () => NOW, { pageSize: 100 });
    const { verification, joined, done } = verifications.start();
    expect(joined).toBe(false);
    expect(verification).toMatchObject({ status: 'running', eventsChecked: 0, startedAt: NOW.toISOString() });

    // Work queued on the event loop while the pass runs gets its turn before the pass ends.
    let turnsTaken = 0;
    let statusSeen: string | undefined;
    const otherWork = (): void => {
      turnsTaken += 1;
      statusSeen ??= verifications.get(verification.id)?.status;
      if (verifications.get(verification.id)?.status === 'running') setImmediate(otherWork);
    };
    setImmediate(otherWork);
    // A second request while it runs joins it instead of starting another pass.
    expect(verifications.start()).toMatchObject({ joined: true, verification: { id: verification.id } });

    const outcome = await done;
    expect(statusSeen).toBe('running');
    expect(turnsTaken).toBeGreaterThanOrEqual(12);
    expect(outcome).toMatchObject({ id: verification.id, status: 'completed', eventsChecked: 1200, report: { ok: true, scope: 'all', eventsChecked: 1200 } });
    expect(verifications.get(verification.id)).toEqual(outcome);
    // Finished: the next request starts a new pass.
    const next = verifications.start();
    expect(next.joined).toBe(false);
    expect(next.verification.id).not.toBe(verification.id);
    await next.done;
  });

  it('names the first event that does not match when a stored figure was edited', async () => {
    const db = new Database(file);
    const victim = db.prepare("SELECT position, event_id FROM events WHERE stream_id = 'return-ENV-3-2026-27-Q1' AND revision = 7").get() as { position: bigint; event_id: string };
    db.prepare("UPDATE events SET data = json_set(data, '$.value', '99.9') WHERE event_id = ?").run(victim.event_id);
    db.close();

    const verifications = new IntegrityVerifications(store, () => NOW, { pageSize: 100 });
    const outcome = await verifications.start().done;
    expect(outcome.status).toBe('completed');
    expect(outcome.report).toMatchObject({ ok: false, firstProblem: { kind: 'content_changed', eventId: victim.event_id, streamId: 'return-ENV-3-2026-27-Q1', revision: '7' } });
  });

  it('stops a running pass at shutdown, as failed, before the store is closed under it', async () => {
    const verifications = new IntegrityVerifications(store, () => NOW, { pageSize: 100 });
    const { done } = verifications.start();
    await verifications.beforeApplicationShutdown();
    const outcome = await done;
    expect(outcome).toMatchObject({ status: 'failed', error: 'the API shut down before the verification finished' });
    expect(outcome.eventsChecked).toBeLessThan(1200);
  });

  it('reports a store it cannot read as failed, with the reason, and keeps only the last runs', async () => {
    const closed = new SqliteEventStore({ filename: file });
    await closed.close();
    const verifications = new IntegrityVerifications(closed, () => NOW, { keep: 2 });
    const first = await verifications.start().done;
    expect(first).toMatchObject({ status: 'failed', error: expect.stringMatching(/not open/) });
    expect(verifications.get(first.id)).toEqual(first);
    await verifications.start().done;
    await verifications.start().done;
    expect(verifications.get(first.id)).toBeUndefined();
  });
});
