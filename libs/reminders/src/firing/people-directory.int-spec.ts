import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openQuarterlyEngine } from '@quarterly/application';
import { loadAppConfig, type QuarterlyEngine } from '@quarterly/platform';
import { EventScript } from '@quarterly/read-models/testing/event-script';
import { ReadModelPeopleDirectory } from './people-directory';

describe('ReadModelPeopleDirectory (the worker’s kept copy of the people read model, on SQLite)', () => {
  let dataDir: string;
  let engine: QuarterlyEngine;
  let script: EventScript;

  const append = async (more: EventScript) => {
    const position = await more.appendTo(engine.store);
    more.drain();
    await engine.waitForProjections(position);
  };

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'quarterly-people-directory-'));
    engine = await openQuarterlyEngine(loadAppConfig({ QUARTERLY_DATA_DIR: dataDir, QUARTERLY_WORKER: 'off', LOG_LEVEL: 'silent' }));
    await engine.start();
    script = new EventScript().at('2025-10-01T08:00:00Z');
    await append(script.person('s.lead', 'Sam Lead', ['service-lead'], 'Place'));
  });

  afterEach(async () => {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its copy, and reads again when someone it is asked to include was registered since', async () => {
    const directory = new ReadModelPeopleDirectory(engine.readModels);
    expect([...(await directory.everyone()).keys()]).toEqual(['s.lead']);
    await append(script.person('n.lead', 'Nat Lead', ['service-lead'], 'Place'));
    // The copy is kept: a plain read does not see the newcomer...
    expect((await directory.everyone()).has('n.lead')).toBe(false);
    // ...a read about to address them does, with their address.
    const people = await directory.everyone(['s.lead', 'n.lead']);
    expect(people.get('n.lead')).toMatchObject({ name: 'Nat Lead', email: 'n.lead@council.example', active: true });
  });

  it('reads again once for an id that names no one, not on every call', async () => {
    const directory = new ReadModelPeopleDirectory(engine.readModels);
    await directory.everyone();
    expect((await directory.everyone(['nobody'])).has('nobody')).toBe(false);
    await append(script.person('k.contact', 'Kim Contact', ['service-lead'], 'Place'));
    // `nobody` was looked for in this copy already: no second read, so the newcomer is not seen yet.
    expect((await directory.everyone(['nobody'])).has('k.contact')).toBe(false);
    expect((await directory.everyone(['k.contact'])).has('k.contact')).toBe(true);
  });

  it('reads afresh once the copy is older than its lifetime', async () => {
    const directory = new ReadModelPeopleDirectory(engine.readModels, { cacheMs: 0 });
    await directory.everyone();
    await append(script.person('d.director', 'Dee Director', ['dmt'], 'Place'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await directory.everyone()).has('d.director')).toBe(true);
  });
});
