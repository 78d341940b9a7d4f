import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NewEvent, WrongExpectedRevisionError } from '../event-store.port';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

describeEventStoreContract('SqliteEventStore', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'quarterly-sqlite-events-'));
  const store = new SqliteEventStore({ filename: join(directory, 'nested', 'events.sqlite') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

describeEventStoreContract('SqliteEventStore without group commit', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'quarterly-sqlite-events-'));
  const store = new SqliteEventStore({ filename: join(directory, 'events.sqlite'), groupCommit: false });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

describe('SqliteEventStore group commit', () => {
  let directory: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'quarterly-sqlite-group-'));
    store = new SqliteEventStore({ filename: join(directory, 'events.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const event = (id: string = randomUUID()): NewEvent => ({ id, type: 'Noted', schemaVersion: 1, data: { id }, metadata: { actor: 'test', correlationId: id, causationId: id, recordedAt: '2026-11-30T12:00:00.000Z' } });

  it('fails only the append that breaks part-way through, writing none of its events, when appends share a commit', async () => {
    const taken = randomUUID();
    await store.appendToStream('taken', [event(taken)], { expectedRevision: 'no_stream' });
    // Issued in one turn of the event loop, so they are written in one transaction.
    const outcomes = await Promise.allSettled([
      store.appendToStream('a', [event(), event()], { expectedRevision: 'no_stream' }),
      store.appendToStream('b', [event(), event(taken)], { expectedRevision: 'no_stream' }),
      store.appendToStream('c', [event()], { expectedRevision: 'no_stream' }),
      store.appendToStream('a', [event()], { expectedRevision: 1n }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(await store.readStream('b')).toEqual([]);
    expect((await store.readStream('a')).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
    expect(await store.readStream('c')).toHaveLength(1);
    // A stream whose append failed can be created afterwards, from no_stream.
    await store.appendToStream('b', [event()], { expectedRevision: 'no_stream' });
    const positions = (await store.readAll({ limit: 100 })).map((e) => e.position);
    expect(positions).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
  });

  it('refuses a stale expected revision alone and commits the others of the same turn', async () => {
    await store.appendToStream('s', [event()], { expectedRevision: 'no_stream' });
    const outcomes = await Promise.allSettled([
      store.appendToStream('s', [event()], { expectedRevision: 0n }),
      store.appendToStream('s', [event()], { expectedRevision: 0n }),
      store.appendToStream('t', [event()], { expectedRevision: 'no_stream' }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream('s')).toHaveLength(2);
    expect(await store.readStream('t')).toHaveLength(1);
  });
});

describe('SqliteEventStore on a file of the layout before 1 December 2026', () => {
  it('drops the old table of stream revisions and appends at the revisions its events show', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'quarterly-sqlite-layout-'));
    const filename = join(directory, 'events.sqlite');
    const event = (): NewEvent => {
      const id = randomUUID();
      return { id, type: 'Noted', schemaVersion: 1, data: { id }, metadata: { actor: 'test', correlationId: id, causationId: id, recordedAt: '2026-11-30T12:00:00.000Z' } };
    };
    try {
      const before = new SqliteEventStore({ filename });
      await before.appendToStream('s', [event(), event(), event()], { expectedRevision: 'no_stream' });
      await before.close();
      // The old layout kept each stream's revision in a table of its own; here a stale copy of it.
      const raw = new Database(filename);
      raw.exec('CREATE TABLE event_streams (stream_id TEXT PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID');
      raw.prepare('INSERT INTO event_streams VALUES (?, ?)').run('s', 0);
      raw.close();

      const store = new SqliteEventStore({ filename });
      try {
        await expect(store.appendToStream('s', [event()], { expectedRevision: 0n })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(store.appendToStream('s', [event()], { expectedRevision: 2n })).resolves.toMatchObject({ nextExpectedRevision: 3n });
        expect((await store.readStream('s')).map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
      } finally {
        await store.close();
      }
      const after = new Database(filename, { readonly: true });
      expect(after.prepare("SELECT name FROM sqlite_master WHERE name = 'event_streams'").all()).toEqual([]);
      after.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
