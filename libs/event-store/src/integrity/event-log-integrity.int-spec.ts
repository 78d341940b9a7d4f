import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { PostgresTestDatabase } from '@quarterly/testing/postgres-test-database';
import type { EventStore, NewEvent, RecordedEvent } from '../event-store.port';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { GENESIS_HASH, hashEvent, storedChainLink, withIntegrity } from './event-hash';
import { verifyEventLog } from './event-log.verifier';
import { HashChainingEventStore } from './hash-chaining.event-store';
import { INTEGRITY_ANCHOR_STREAM } from './integrity-anchor';
import { IntegrityAnchorRecorder } from './integrity-anchor.recorder';

/** A store, and a way around it straight to its rows, as someone with database access has. */
interface Backend {
  readonly store: EventStore;
  /** Overwrites columns of the row holding `streamId@revision` (`text`: the stored JSON text itself). */
  update(streamId: string, revision: bigint, columns: Columns): Promise<void>;
  remove(streamId: string, revision: bigint): Promise<void>;
  cleanup(): Promise<void>;
}

interface Columns {
  readonly data?: unknown;
  readonly metadata?: unknown;
  readonly revision?: bigint;
  readonly text?: { readonly data?: string; readonly metadata?: string };
}

/** The JSON text each column is set to. */
function textOf(columns: Columns): { data?: string; metadata?: string } {
  return {
    ...(columns.data !== undefined ? { data: JSON.stringify(columns.data) } : {}),
    ...(columns.metadata !== undefined ? { metadata: JSON.stringify(columns.metadata) } : {}),
    ...columns.text,
  };
}

async function sqliteBackend(): Promise<Backend> {
  const directory = mkdtempSync(join(tmpdir(), 'quarterly-integrity-'));
  const filename = join(directory, 'events.sqlite');
  const store = new SqliteEventStore({ filename });
  const raw = new Database(filename);
  return {
    store,
    async update(streamId, revision, columns) {
      const text = textOf(columns);
      if (text.data !== undefined) raw.prepare('UPDATE events SET data = ? WHERE stream_id = ? AND revision = ?').run(text.data, streamId, revision);
      if (text.metadata !== undefined) raw.prepare('UPDATE events SET metadata = ? WHERE stream_id = ? AND revision = ?').run(text.metadata, streamId, revision);
      if (columns.revision !== undefined) raw.prepare('UPDATE events SET revision = ? WHERE stream_id = ? AND revision = ?').run(columns.revision, streamId, revision);
    },
    async remove(streamId, revision) {
      raw.prepare('DELETE FROM events WHERE stream_id = ? AND revision = ?').run(streamId, revision);
    },
    async cleanup() {
      raw.close();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function postgresBackend(): Promise<Backend> {
  const database = await PostgresTestDatabase.create('integrity');
  const store = await PostgresEventStore.open({ connectionString: database.connectionString, schema: database.schema });
  const client = new Client({ connectionString: database.connectionString });
  await client.connect();
  const events = `"${database.schema}".events`;
  return {
    store,
    async update(streamId, revision, columns) {
      const where = [streamId, revision.toString()];
      const text = textOf(columns);
      if (text.data !== undefined) await client.query(`UPDATE ${events} SET data = $3::json WHERE stream_id = $1 AND revision = $2`, [...where, text.data]);
      if (text.metadata !== undefined) await client.query(`UPDATE ${events} SET metadata = $3::json WHERE stream_id = $1 AND revision = $2`, [...where, text.metadata]);
      if (columns.revision !== undefined) await client.query(`UPDATE ${events} SET revision = $3 WHERE stream_id = $1 AND revision = $2`, [...where, columns.revision.toString()]);
    },
    async remove(streamId, revision) {
      await client.query(`DELETE FROM ${events} WHERE stream_id = $1 AND revision = $2`, [streamId, revision.toString()]);
    },
    async cleanup() {
      await client.end();
      await store.close();
      await database.drop();
    },
  };
}

function figure(n: number, value: string): NewEvent {
  const id = randomUUID();
  return {
    id,
    type: n === 0 ? 'ReturnRequested' : 'ReturnSubmitted',
    schemaVersion: 1,
    data: { value, commentary: `figure ${n}`, nested: { months: [value, '1.5'] } },
    metadata: { actor: 'user:alice', correlationId: id, causationId: id, recordedAt: `2026-07-0${1 + (n % 9)}T09:00:00.000Z` },
  };
}

const RETURN = 'return-ASC-01-2026-27-Q1';
const OTHER = 'return-ENV-02-2026-27-Q1';
const KPI = 'kpi-ASC-01';

describe.each([
  ['SQLite', sqliteBackend],
  ['PostgreSQL', postgresBackend],
])('tamper evidence on %s', (_name, open) => {
  let backend: Backend;
  let chained: HashChainingEventStore;

  beforeEach(async () => {
    backend = await open();
    chained = new HashChainingEventStore(backend.store);
    // Interleaved streams, appended one event at a time and in batches, then anchored in blocks of 4.
    await chained.appendToStream(KPI, [figure(0, '0')], { expectedRevision: 'no_stream' });
    for (let n = 0; n < 4; n += 1) {
      await chained.appendToStream(RETURN, [figure(n, `4${n}.0`)], { expectedRevision: n === 0 ? 'no_stream' : BigInt(n - 1) });
      await chained.appendToStream(OTHER, [figure(n, `1${n}.5`)], { expectedRevision: 'any' });
    }
    await chained.appendToStream(RETURN, [figure(4, '44.0'), figure(5, '45.0')], { expectedRevision: 3n });
    // On PostgreSQL the global order shows a commit once the cluster's horizon passes it, and
    // other suites' transactions on the same cluster may hold it back a while: anchor once all
    // 11 events are visible, as the periodic anchoring would on its next round.
    for (let attempt = 0; (await chained.readAll({ limit: 100 })).length < 11 && attempt < 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const report = await new IntegrityAnchorRecorder(chained, { blockSize: 4 }).anchorPending();
    expect(report.anchors.map((anchor) => anchor.eventCount)).toEqual([4, 4, 3]);
    // The same for the three anchors just recorded: the tests read the whole global order.
    for (let attempt = 0; (await chained.readAll({ limit: 100 })).length < 14 && attempt < 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterEach(async () => {
    await backend.cleanup();
  });

  const eventAt = async (streamId: string, revision: bigint): Promise<RecordedEvent> =>
    (await backend.store.readStream(streamId)).find((event) => event.revision === revision)!;

  it('chains every stream from the genesis hash and finds nothing wrong in an untouched log', async () => {
    const stream = await backend.store.readStream(RETURN);
    expect(stream[0]!.metadata.integrity?.previousHash).toBe(GENESIS_HASH);
    for (let i = 1; i < stream.length; i += 1) {
      expect(stream[i]!.metadata.integrity?.previousHash).toBe(stream[i - 1]!.metadata.integrity?.hash);
    }
    const report = await verifyEventLog(backend.store);
    expect(report).toMatchObject({ ok: true, eventsChecked: 14, streamsChecked: 4, anchorsChecked: 3, unanchoredEvents: 0, problems: [] });
    await chained.appendToStream(KPI, [figure(1, '1')], { expectedRevision: 0n });
    // As in beforeEach: on PostgreSQL the new event joins the global order once the horizon passes it.
    for (let attempt = 0; (await chained.readAll({ limit: 100 })).length < 15 && attempt < 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await verifyEventLog(backend.store)).toMatchObject({ ok: true, unanchoredEvents: 1 });
    expect(await verifyEventLog(backend.store, { streamId: RETURN })).toMatchObject({ ok: true, eventsChecked: 6, anchorsChecked: 3 });
  });

  it('chains an append onto the head that a read of the stream from a revision on found', async () => {
    const reader = new HashChainingEventStore(backend.store);
    const tail = await reader.readStream(RETURN, { fromRevision: 4n });
    expect(tail.map((event) => event.revision)).toEqual([4n, 5n]);

    await reader.appendToStream(RETURN, [figure(6, '46.0')], { expectedRevision: 5n });

    const stream = await backend.store.readStream(RETURN);
    expect(stream[6]!.metadata.integrity?.previousHash).toBe(stream[5]!.metadata.integrity?.hash);
    expect(await verifyEventLog(backend.store, { streamId: RETURN })).toMatchObject({ ok: true, eventsChecked: 7 });
  });

  it("keeps one straight chain when many 'any' appends race on one stream, and refuses a stale revision as before", async () => {
    const stream = 'return-RACE-01-2026-27-Q1';
    await Promise.all(Array.from({ length: 16 }, (_, n) => chained.appendToStream(stream, [figure(n + 1, `${n}.0`)], { expectedRevision: 'any' })));
    const events = await backend.store.readStream(stream);
    expect(events.map((event) => event.revision)).toEqual(Array.from({ length: 16 }, (_, n) => BigInt(n)));
    expect(await verifyEventLog(backend.store, { streamId: stream })).toMatchObject({ ok: true, eventsChecked: 16 });
    await expect(chained.appendToStream(stream, [figure(99, '1.0')], { expectedRevision: 3n })).rejects.toMatchObject({
      name: 'WrongExpectedRevisionError',
      actual: 15n,
    });
    expect(await backend.store.readStream(stream)).toHaveLength(16);
  });

  it('names an event whose data was edited', async () => {
    const target = await eventAt(RETURN, 2n);
    await backend.update(RETURN, 2n, { data: { ...(target.data as object), value: '99.0' } });
    const report = await verifyEventLog(backend.store);
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toMatchObject({ kind: 'content_changed', eventId: target.id, streamId: RETURN, revision: '2' });
    expect(report.problems).toHaveLength(1);
    expect((await verifyEventLog(backend.store, { streamId: RETURN })).firstProblem).toMatchObject({ kind: 'content_changed', eventId: target.id });
  });

  it('names an event whose metadata was edited', async () => {
    const target = await eventAt(OTHER, 1n);
    await backend.update(OTHER, 1n, { metadata: { ...target.metadata, actor: 'user:mallory' } });
    const report = await verifyEventLog(backend.store);
    expect(report.firstProblem).toMatchObject({ kind: 'content_changed', eventId: target.id, streamId: OTHER, revision: '1' });
  });

  it('names the event after a deleted row', async () => {
    const after = await eventAt(RETURN, 2n);
    await backend.remove(RETURN, 1n);
    const report = await verifyEventLog(backend.store);
    // The anchor of the block that held it sees it missing first; the chain names the event after it.
    expect(report.firstProblem).toMatchObject({ kind: 'stream_head_mismatch', streamId: RETURN, revision: '1' });
    expect(report.firstProblem?.detail).toMatch(/revisions 1 to 1 are no longer there/);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'revision_out_of_order', eventId: after.id, revision: '2' }),
        expect.objectContaining({ kind: 'chain_broken', eventId: after.id }),
      ]),
    );
    expect((await verifyEventLog(backend.store, { streamId: RETURN })).firstProblem).toMatchObject({ kind: 'revision_out_of_order', eventId: after.id });
  });

  it('names a deleted last event through the anchor that recorded it', async () => {
    await backend.remove(OTHER, 3n);
    const report = await verifyEventLog(backend.store);
    expect(report.firstProblem).toMatchObject({ kind: 'stream_head_mismatch', streamId: OTHER });
    expect(report.firstProblem).toMatchObject({ revision: '3' });
    expect(report.firstProblem?.detail).toMatch(/revisions 3 to 3 are no longer there/);
    expect((await verifyEventLog(backend.store, { streamId: OTHER })).firstProblem).toMatchObject({ kind: 'stream_head_mismatch', revision: '3' });
  });

  it('names two rows swapped', async () => {
    const first = await eventAt(RETURN, 1n);
    await backend.update(RETURN, 1n, { revision: 1000n });
    await backend.update(RETURN, 2n, { revision: 1n });
    await backend.update(RETURN, 1000n, { revision: 2n });
    const report = await verifyEventLog(backend.store);
    expect(report.firstProblem).toMatchObject({ kind: 'revision_out_of_order', eventId: first.id, streamId: RETURN });
    const streamReport = await verifyEventLog(backend.store, { streamId: RETURN });
    expect(streamReport.firstProblem).toMatchObject({ streamId: RETURN, revision: '1' });
  });

  it.each([
    ['as JSON.stringify writes it', false],
    ["in the chain's own stored form, which verify hashes without parsing", true],
  ])('names a stream rewritten with recomputed hashes, through the anchors (written %s)', async (_form, canonical) => {
    // The forger changes one figure and recomputes the chain from there, so every stored hash
    // matches its content again: only the anchors still remember the old stream.
    const stream = await backend.store.readStream(RETURN);
    let previous = stream[0]!.metadata.integrity!.hash;
    for (const event of stream.slice(1)) {
      const data = event.revision === 2n ? { ...(event.data as object), value: '12.0' } : event.data;
      const { integrity: _old, ...metadata } = event.metadata;
      const forged = withIntegrity({ ...event, data, metadata }, RETURN, event.revision, previous);
      const hash = hashEvent({ ...event, data, metadata }, previous);
      expect(forged.metadata.integrity?.hash).toBe(hash);
      await backend.update(RETURN, event.revision, canonical ? { text: forged.storedJson! } : { data, metadata: forged.metadata });
      previous = hash;
    }
    if (canonical) {
      const rows = await backend.store.readAllStored!({ limit: 100 });
      const forgedRows = rows.filter((row) => row[1] === RETURN && row[2] >= 1n);
      expect(forgedRows.map((row) => storedChainLink(row[1], row[2], row[3], row[4], row[5], row[6], row[7])?.hash)).toEqual(
        forgedRows.map(() => expect.stringMatching(/^[0-9a-f]{64}$/)),
      );
    }
    // Anchor 1 recorded the stream at revision 1, anchor 2 at revision 3: the forgery lies in 2..3.
    const streamReport = await verifyEventLog(backend.store, { streamId: RETURN });
    expect(streamReport.firstProblem).toMatchObject({ kind: 'stream_head_mismatch', streamId: RETURN, eventId: stream[2]!.id, revision: '2' });
    expect(streamReport.firstProblem?.detail).toMatch(/anchor 2 .* revisions 2 to 3 was rewritten/);
    const report = await verifyEventLog(backend.store);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'stream_head_mismatch', streamId: RETURN, eventId: stream[2]!.id, revision: '2' })]);
  });

  it('stores every chained event as the canonical text it hashed, and verifies it alike read as text or as objects', async () => {
    const rows = await backend.store.readAllStored!({ limit: 100 });
    expect(rows).toHaveLength(14);
    for (const row of rows) expect(storedChainLink(row[1], row[2], row[3], row[4], row[5], row[6], row[7])).toEqual(JSON.parse(row[7]).integrity);
    const asObjects = { readStream: (id: string) => backend.store.readStream(id), readAll: (o: { after?: bigint; limit: number }) => backend.store.readAll(o) };
    const { elapsedMs: _a, ...fromText } = await verifyEventLog(backend.store, { pageSize: 3 });
    const { elapsedMs: _b, ...fromObjects } = await verifyEventLog(asObjects, { pageSize: 3 });
    expect(fromText).toEqual(fromObjects);
    expect(fromText).toMatchObject({ ok: true, eventsChecked: 14, anchorsChecked: 3 });
  });

  it('names a key smuggled into the stored text behind the integrity member (the last of two keys wins on reading)', async () => {
    const target = await eventAt(OTHER, 2n);
    const [row] = (await backend.store.readAllStored!({ limit: 100 })).filter((candidate) => candidate[3] === target.id);
    await backend.update(OTHER, 2n, { text: { metadata: `${row![7].slice(0, -1)},"actor":"user:mallory"}` } });
    expect((await eventAt(OTHER, 2n)).metadata.actor).toBe('user:mallory');
    const report = await verifyEventLog(backend.store);
    expect(report.firstProblem).toMatchObject({ kind: 'content_changed', eventId: target.id, streamId: OTHER, revision: '2' });
    expect(report.problems).toHaveLength(1);
  });

  it('finds nothing wrong when the stored text is written otherwise but holds the same values', async () => {
    const target = await eventAt(RETURN, 3n);
    await backend.update(RETURN, 3n, { text: { data: JSON.stringify(target.data, null, 2), metadata: JSON.stringify(target.metadata) } });
    expect(await verifyEventLog(backend.store)).toMatchObject({ ok: true, eventsChecked: 14, problems: [] });
  });

  it("detects rewritten anchors against the auditors' digest", async () => {
    const digest = (await anchorDigest(backend.store)).join('\n');
    expect(await verifyEventLog(backend.store, { digest })).toMatchObject({ ok: true });
    const anchor = await eventAt(INTEGRITY_ANCHOR_STREAM, 0n);
    await backend.update(INTEGRITY_ANCHOR_STREAM, 0n, { data: { ...(anchor.data as object), merkleRoot: 'f'.repeat(64) } });
    const report = await verifyEventLog(backend.store, { digest });
    expect(report.problems.map((problem) => problem.kind)).toEqual(expect.arrayContaining(['anchor_digest_mismatch', 'content_changed']));
  });
});

async function anchorDigest(store: EventStore): Promise<string[]> {
  const { anchorDigestLine } = await import('./integrity-anchor');
  return (await store.readStream(INTEGRITY_ANCHOR_STREAM)).map((event) =>
    anchorDigestLine(event.data as Parameters<typeof anchorDigestLine>[0], event.metadata.integrity!.hash),
  );
}
