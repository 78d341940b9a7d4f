import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { returnDecider, returnStreamId } from '@quarterly/domain';
import { EventCodec } from '@quarterly/event-codec';
import type { NewEvent } from '@quarterly/event-store';
import { getAuditTrail, getReturnStatus, getValueHistory } from '@quarterly/read-models';
import { EventScript, ratingOf } from '@quarterly/read-models/testing/event-script';
import { buildEvidencePack } from '@quarterly/platform/audit/evidence-pack.builder';
import { verifyEvidencePack } from '@quarterly/platform/audit/evidence-pack.verifier';
import { loadAppConfig } from '@quarterly/platform/config/app-config';
import type { QuarterlyEngine } from '@quarterly/platform/engine/quarterly-engine';
import { openQuarterlyEngine } from './open-quarterly-engine';

/**
 * Suppose two shapes changed in a release: `ReturnSubmitted` once named its figure `figure` and its
 * commentary `narrative`, and `CycleOpened` listed its returns as `returns`. Events stored in
 * those version-1 shapes stay as they are; the version-2 upcasters below turn them into today's
 * shapes on read, and every reader must see only that.
 */
const V2_CODEC = new EventCodec({
  currentVersions: { ReturnSubmitted: 2, CycleOpened: 2 },
  upcasters: {
    ReturnSubmitted: {
      1: (data) => {
        const { figure, narrative, ...rest } = data as { figure: string; narrative: string };
        return { ...rest, value: figure, commentary: narrative };
      },
    },
    CycleOpened: {
      1: (data) => {
        const { returns, ...rest } = data as { returns: unknown };
        return { ...rest, requestedReturns: returns };
      },
    },
  },
});

const CYCLE = '2026/27-Q1';
const KPI = 'ENV-01';
const POLICY = { kind: 'thresholds', green: '45.0', amber: '40.0' } as const;

/** The script's event in its version-1 shape. */
function asVersion1(event: NewEvent): NewEvent {
  const data = event.data as Record<string, unknown>;
  if (event.type === 'ReturnSubmitted') {
    const { value, commentary, ...rest } = data;
    return { ...event, schemaVersion: 1, data: { ...rest, figure: value, narrative: commentary } };
  }
  if (event.type === 'CycleOpened') {
    const { requestedReturns, ...rest } = data;
    return { ...event, schemaVersion: 1, data: { ...rest, returns: requestedReturns } };
  }
  return event;
}

describe('a version-1 event read through a version-2 upcaster', () => {
  let engine: QuarterlyEngine;
  let directory: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'quarterly-upcast-'));
    const config = loadAppConfig({ QUARTERLY_STORE: 'sqlite', QUARTERLY_DATA_DIR: directory, JWT_SECRET: 'upcasting-test-secret-0123456789abcdefghij', LOG_LEVEL: 'silent' });
    // Opened as every long-running door opens it: with the application's process managers.
    engine = await openQuarterlyEngine(config, { codec: V2_CODEC });
    await engine.start();
    const script = new EventScript().at('2026-07-01T09:00:00Z').kpi(KPI).target(KPI, '2026-27', POLICY).openCycle(CYCLE, [KPI]);
    // The cycle's process manager, not the script, requests the return: from the v1 CycleOpened.
    const history = script.drain().filter(({ event }) => event.type !== 'ReturnRequested');
    for (const { streamId, event } of history) await engine.store.appendToStream(streamId, [asVersion1(event)], { expectedRevision: 'any' });
    await engine.waitForProcessManagers((await engine.store.readAll({ limit: 1000 })).at(-1)!.position);
    script.at('2026-07-10T09:00:00Z').submit(KPI, CYCLE, '41.5', ratingOf('amber', '2026-27', POLICY), 's.lead', 'Behind on garden waste.');
    let last = 0n;
    for (const { streamId, event } of script.drain()) {
      last = (await engine.store.appendToStream(streamId, [asVersion1(event)], { expectedRevision: 'any' })).lastPosition;
    }
    await engine.waitForProcessManagers(last);
    await engine.waitForProjections(engine.executor.lastAppendedPosition! > last ? engine.executor.lastAppendedPosition! : last);
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('is stored as it was written: version 1, old field names', async () => {
    const stored = await engine.store.readStream(returnStreamId(KPI, CYCLE));
    const submitted = stored.find((event) => event.type === 'ReturnSubmitted')!;
    expect(submitted.schemaVersion).toBe(1);
    expect(submitted.data).toMatchObject({ figure: '41.5', narrative: 'Behind on garden waste.' });
  });

  it('reaches the process manager in the version-2 shape: it requested the return the cycle listed', async () => {
    const stream = await engine.store.readStream(returnStreamId(KPI, CYCLE));
    expect(stream[0]).toMatchObject({ type: 'ReturnRequested', metadata: { actor: 'system:cycle' } });
  });

  it('reaches the command executor (the decider folds the version-2 figure)', async () => {
    const { state } = await engine.executor.load(returnStreamId(KPI, CYCLE), returnDecider);
    expect(state).toMatchObject({ status: 'submitted', currentValue: '41.5' });
  });

  it('reaches every read model: value history, status board and the audit history', async () => {
    const [entry] = await getValueHistory(engine.readModels.db, { kpiId: KPI });
    expect(entry).toMatchObject({ kind: 'submitted', value: '41.5', commentary: 'Behind on garden waste.' });
    expect(await getReturnStatus(engine.readModels.db, `${KPI}:${CYCLE}`, new Date('2026-07-11T09:00:00Z'))).toMatchObject({ state: 'submitted', value: '41.5' });
    const trail = await getAuditTrail(engine.readModels.db, { kpiId: KPI });
    const submitted = trail.find((event) => event.type === 'ReturnSubmitted')!;
    expect(submitted.schemaVersion).toBe(2);
    expect(submitted.data).toMatchObject({ value: '41.5', commentary: 'Behind on garden waste.' });
    expect(submitted.data).not.toHaveProperty('figure');
    const opened = (await getAuditTrail(engine.readModels.db, { cycleId: CYCLE })).find((event) => event.type === 'CycleOpened')!;
    expect(opened.data).toHaveProperty('requestedReturns');
    expect(opened.data).not.toHaveProperty('returns');
  });

  it('keeps the stored original, with its hash, in an evidence pack whose history is checked through the same upcaster', async () => {
    const pack = (await buildEvidencePack(engine.store, engine.readModels.db, { kind: 'kpi', kpiId: KPI }, new Date('2026-07-11T09:00:00Z')))!;
    expect(await verifyEvidencePack(pack.archive, { codec: V2_CODEC })).toMatchObject({ ok: true, problems: [] });
  });
});
