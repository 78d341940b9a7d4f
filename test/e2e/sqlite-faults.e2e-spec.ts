import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SQLITE_FILE_NAME } from '@quarterly/platform';
import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { expectStatus, PRINCIPALS } from '@quarterly/testing/e2e-fixtures';

// The embedded mode's faults are the file's: another process holding the write lock past the busy
// timeout (a backup tool, a stray sqlite3 shell), or a file that cannot be written. Either is a
// 503 with problem details, never a 500, and the API carries on once the file is usable again.

const person = (personId: string) => ({ body: { personId, name: 'Lock Test', email: `${personId}@council.example`, roles: ['auditor'] } });

describe('when the SQLite file is locked or read-only', () => {
  let api: ApiTestApp;
  let team: ApiClient;
  let file: string;

  beforeAll(async () => {
    api = await startApiTestApp({ store: 'sqlite' });
    team = api.as(PRINCIPALS.team);
    file = join(api.config.dataDir, SQLITE_FILE_NAME);
    expectStatus(await team('POST', '/people', person('before-lock')), 201);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers a write with 503 store_unavailable while another connection holds the write lock, and accepts it once released', async () => {
    const other = new BetterSqlite3(file);
    try {
      other.prepare('BEGIN IMMEDIATE').run(); // the write lock, held past the 5 s busy timeout
      const refused = await team('POST', '/people', person('during-lock'));
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ code: 'store_unavailable', status: 503 });
      // Readers are not blocked by a writer in WAL mode.
      expect((await team('GET', '/people')).status).toBe(200);
      expect((await fetch(`${api.baseUrl}/health/live`)).status).toBe(200);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expectStatus(await team('POST', '/people', person('during-lock')), 201);
    expect((await api.engine.store.readStream('person-during-lock')).map((event) => event.type)).toEqual(['PersonRegistered']);
  }, 30_000);
});
