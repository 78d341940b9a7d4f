import { KurrentDbEventStore } from '../kurrentdb/kurrentdb-event-store';
import { FakeKurrentDb } from '../kurrentdb/testing/fake-kurrentdb-client';
import { FakeScheduler } from '../kurrentdb/testing/fake-scheduler';
import type { NewEvent } from '../event-store.port';
import { GENESIS_HASH } from './event-hash';
import { verifyEventLog } from './event-log.verifier';
import { HashChainingEventStore } from './hash-chaining.event-store';
import { IntegrityAnchorRecorder } from './integrity-anchor.recorder';

/**
 * The chain lives in the event's metadata, which the KurrentDB adapter maps field by field: the
 * hashes must survive its write and read (the server itself is tested in the adapter's
 * int-spec when EVENTSTORE_URL is set; here its in-memory fake, which round-trips JSON).
 */
describe('hash chaining on the KurrentDB adapter', () => {
  let n = 0;
  const event = (value: string): NewEvent => {
    n += 1;
    return {
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      type: 'ReturnSubmitted',
      schemaVersion: 1,
      data: { value, commentary: 'On plan.' },
      metadata: { actor: 'user:alice', correlationId: 'corr-1', causationId: 'cmd-1', recordedAt: '2026-07-10T09:30:00.000Z' },
    };
  };

  it('stores each link, reads it back, and verifies the chain and an anchor', async () => {
    const raw = new KurrentDbEventStore(new FakeKurrentDb().asClient(), { scheduler: new FakeScheduler() });
    const store = new HashChainingEventStore(raw);
    await store.appendToStream('return-ENV-01-2026-27-Q1', [event('1.0'), event('2.0')], { expectedRevision: 'no_stream' });
    await store.appendToStream('return-ENV-01-2026-27-Q1', [event('3.0')], { expectedRevision: 1n });
    await store.appendToStream('kpi-ENV-01', [event('0')], { expectedRevision: 'any' });
    const stream = await raw.readStream('return-ENV-01-2026-27-Q1');
    expect(stream.map((e) => e.metadata.integrity?.previousHash)).toEqual([GENESIS_HASH, stream[0]!.metadata.integrity!.hash, stream[1]!.metadata.integrity!.hash]);
    await new IntegrityAnchorRecorder(store, { blockSize: 2 }).anchorPending();
    expect(await verifyEventLog(raw)).toMatchObject({ ok: true, eventsChecked: 6, anchorsChecked: 2, unanchoredEvents: 0 });
  });

  it('names an event edited in the store and one removed from it (no stored text here: the verifier reads objects)', async () => {
    const server = new FakeKurrentDb();
    const raw = new KurrentDbEventStore(server.asClient(), { scheduler: new FakeScheduler() });
    const store = new HashChainingEventStore(raw);
    await store.appendToStream('return-ENV-01-2026-27-Q1', [event('1.0'), event('2.0'), event('3.0')], { expectedRevision: 'no_stream' });
    await store.appendToStream('kpi-ENV-01', [event('0'), event('1')], { expectedRevision: 'no_stream' });
    await new IntegrityAnchorRecorder(store, { blockSize: 10 }).anchorPending();
    expect('readAllStored' in raw).toBe(false);
    const [edited] = server.log.filter((record) => record.event!.streamId === 'return-ENV-01-2026-27-Q1' && record.event!.revision === 1n);
    (edited!.event!.data as { value: string }).value = '9.0';
    expect((await verifyEventLog(store)).firstProblem).toMatchObject({ kind: 'content_changed', streamId: 'return-ENV-01-2026-27-Q1', revision: '1', eventId: edited!.event!.id });
    (edited!.event!.data as { value: string }).value = '2.0';
    expect(await verifyEventLog(store)).toMatchObject({ ok: true });
    const removed = server.log.findIndex((record) => record.event!.streamId === 'kpi-ENV-01' && record.event!.revision === 1n);
    server.log.splice(removed, 1);
    expect((await verifyEventLog(store)).firstProblem).toMatchObject({ kind: 'stream_head_mismatch', streamId: 'kpi-ENV-01', revision: '1' });
  });
});
