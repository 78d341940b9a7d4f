import { DirectoryAlreadyAdministeredError, SignInIdTakenError } from '@quarterly/domain';
import { startApiTestApp, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { expectStatus } from '@quarterly/testing/e2e-fixtures';
import { addPerson, AddPersonArgumentsError, parseAddPersonArguments } from './add-person.command';
import { mintToken } from './mint-token.command';

describe('add-person on a fresh deployment (real SQLite store, no demo)', () => {
  let api: ApiTestApp;
  const now = new Date('2026-07-01T09:00:00Z');

  beforeAll(async () => {
    api = await startApiTestApp({ store: 'sqlite', now: now.toISOString() });
  });

  afterAll(async () => {
    await api?.close();
  });

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };

  it('registers the first administrator as an event, who can then run the council through the API', async () => {
    expect(await api.engine.isEmpty()).toBe(true);
    const request = parseAddPersonArguments(['p.lead', '--name', 'Pat Lead', '--email', 'pat.lead@council.example', '--sign-in-id', '0f6d1c1e-5b2a-4c1d-8e3f-aa00bb11cc22']);
    await addPerson(api.engine, request, now);

    const [event] = await api.engine.store.readStream('person-p.lead');
    expect(event).toMatchObject({
      type: 'PersonRegistered',
      data: { personId: 'p.lead', roles: ['performance-team'], signInId: '0f6d1c1e-5b2a-4c1d-8e3f-aa00bb11cc22' },
      metadata: { actor: 'system:cli', recordedAt: now.toISOString() },
    });

    // The token minted from the directory is enough to build the council and open a cycle.
    const token = await mintToken(api.engine, api.config, 'p.lead');
    expectStatus(await call(token, 'POST', '/kpis', {
      kpiId: 'ENV-01', title: 'Household waste recycled', definition: 'Tonnes recycled / tonnes collected.', directorate: 'Place',
      serviceArea: 'Waste', planOutcome: '1.2.1 Keep our city clean', unit: 'percentage', decimalPlaces: 1, polarity: 'higher_is_better',
      frequency: 'quarterly', measureType: 'in_period', dataSource: 'WasteDataFlow', limitations: '', benchmarkSources: [], labels: 'green_amber_red',
      owner: 'p.lead', keyContacts: [],
    }), 201);
    expectStatus(await call(token, 'POST', '/people', { personId: 's.lead', name: 'Sam Lead', email: 'sam@council.example', roles: ['service-lead'], directorate: 'Place' }), 201);
    expectStatus(await call(token, 'POST', '/cycles', { cycleId: '2026/27-Q1' }), 201);
  });

  it('refuses a second administrator once a performance-team member exists, naming them', async () => {
    const request = parseAddPersonArguments(['q.other', '--name', 'Quinn Other', '--email', 'quinn@council.example']);
    await expect(addPerson(api.engine, request, now)).rejects.toThrow(DirectoryAlreadyAdministeredError);
    await expect(addPerson(api.engine, request, now)).rejects.toThrow(/p\.lead/);
    expect(await api.engine.store.readStream('person-q.other')).toEqual([]);
  });

  it('adds one when forced with a reason, and keeps the reason in the event', async () => {
    const request = parseAddPersonArguments(['q.other', '--name', 'Quinn Other', '--email', 'quinn@council.example', '--force', '--reason', 'p.lead is on long-term leave']);
    await addPerson(api.engine, request, now);
    const [event] = await api.engine.store.readStream('person-q.other');
    expect(event).toMatchObject({ type: 'PersonRegistered', data: { roles: ['performance-team'], reason: 'p.lead is on long-term leave' } });
  });

  it("refuses, even when forced, a sign-in id another person holds, naming them, and writes nothing", async () => {
    const request = parseAddPersonArguments(['r.twin', '--name', 'Rae Twin', '--email', 'rae@council.example', '--sign-in-id', '0f6d1c1e-5b2a-4c1d-8e3f-aa00bb11cc22', '--force', '--reason', 'a second administrator']);
    const refusal = addPerson(api.engine, request, now);
    await expect(refusal).rejects.toThrow(SignInIdTakenError);
    await expect(addPerson(api.engine, request, now)).rejects.toThrow('signInId: 0f6d1c1e-5b2a-4c1d-8e3f-aa00bb11cc22 is already the sign-in id of p.lead');
    expect(await api.engine.store.readStream('person-r.twin')).toEqual([]);
  });

  it('checks its arguments before touching the store', () => {
    expect(() => parseAddPersonArguments(['x.y', '--name', 'X'])).toThrow(AddPersonArgumentsError);
    expect(() => parseAddPersonArguments(['x.y', '--name', 'X', '--email', 'x@y.z', '--force'])).toThrow(/--reason/);
    expect(() => parseAddPersonArguments(['x.y', '--name', 'X', '--email', 'x@y.z', '--role', 'mayor'])).toThrow(/unknown role mayor/);
    expect(parseAddPersonArguments(['x.y', '--name', 'X', '--email', 'x@y.z', '--role', 'performance-team', '--role', 'auditor']).roles).toEqual(['performance-team', 'auditor']);
  });
});
