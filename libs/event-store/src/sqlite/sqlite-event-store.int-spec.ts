import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
