import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle, submitAndApprove } from '@quarterly/testing/e2e-fixtures';

const CLI = join(__dirname, '..', '..', 'apps', 'cli', 'src', 'main.ts');

/** Runs the real CLI as its own process, as an auditor would, with no configuration at all. */
function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', CLI, ...args],
      { cwd: join(__dirname, '..', '..'), env: { PATH: process.env.PATH ?? '' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A copy of the pack with one file rewritten (and, for a careful forger, the manifest updated). */
function forged(pack: Buffer, file: string, rewrite: (text: string) => string, updateManifest: boolean): Buffer {
  const zip = new AdmZip(pack);
  const text = rewrite(zip.readAsText(file));
  zip.updateFile(file, Buffer.from(text));
  if (updateManifest) {
    const manifest = JSON.parse(zip.readAsText('manifest.json')) as { files: Record<string, string> };
    manifest.files[file] = createHash('sha256').update(text).digest('hex');
    zip.updateFile('manifest.json', Buffer.from(JSON.stringify(manifest)));
  }
  return zip.toBuffer();
}

describe('audit integrity over HTTP', () => {
  let api: ApiTestApp;
  let team: ApiClient;
  let auditor: ApiClient;
  let directory: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'quarterly-evidence-'));
    api = await startApiTestApp({ store: 'sqlite', now: '2026-07-01T09:00:00Z' });
    team = api.as(PRINCIPALS.team);
    auditor = api.as(PRINCIPALS.auditor);
    const lead = api.as(PRINCIPALS.placeLead);
    const dmt = api.as(PRINCIPALS.placeDmt);
    await defineKpi(team, 'ENV-01');
    await defineKpi(team, 'ENV-02');
    await openCycle(api, team, '2026/27-Q1');
    await submitAndApprove(lead, dmt, 'ENV-01', '2026/27-Q1', '44.0');
    await submitAndApprove(lead, dmt, 'ENV-02', '2026/27-Q1', '12.0');
    api.clock.set('2026-08-20T09:00:00Z');
    expectStatus(await team('POST', '/cycles/2026-27-Q1/closure', {}), 200);
    // Found wrong after publication: restated and approved again.
    api.clock.set('2026-09-02T09:00:00Z');
    const restated = expectStatus(
      await lead('POST', '/returns/ENV-01/2026-27-Q1/restatement', { body: { value: '46.5', reason: 'Late tonnage data.' } }),
      200,
    );
    expectStatus(await dmt('POST', '/returns/ENV-01/2026-27-Q1/approval', { body: {}, headers: { 'if-match': restated.headers.get('etag')! } }), 200);
    await settle(api);
  });
  afterAll(async () => {
    await api?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Starts a whole-store verification (202 and its status resource) and follows it to its report. */
  async function verifyWholeStore(start: () => ReturnType<ApiClient>): Promise<Record<string, unknown>> {
    const started = expectStatus(await start(), 202);
    const location = started.headers.get('location')!;
    expect(location).toBe(`/audit/integrity/verifications/${started.body.id}`);
    expect(started.body).toMatchObject({ status: expect.stringMatching(/^(running|completed)$/) });
    for (;;) {
      const status = expectStatus(await auditor('GET', location), 200).body;
      if (status.status !== 'running') {
        expect(status).toMatchObject({ id: started.body.id, status: 'completed' });
        return status.report;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('verifies the whole log in the background and one stream at once, and serves the digest once anchored', async () => {
    const before = await verifyWholeStore(() => auditor('POST', '/audit/integrity/verifications'));
    expect(before).toMatchObject({ ok: true, scope: 'all', anchorsChecked: 0, unchainedEvents: 0 });
    expect(before.unanchoredEvents).toBe(before.eventsChecked);

    const anchored = await api.engine.anchors.anchorPending();
    expect(anchored.anchors).toHaveLength(1);
    const digest = await fetch(`${api.baseUrl}/audit/integrity/digest`, { headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.auditor)}` } });
    expect(digest.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await digest.text()).toBe(`${anchored.digestLines.join('\n')}\n`);

    // `GET /audit/integrity` without a stream starts the same background check.
    expect(await verifyWholeStore(() => auditor('GET', '/audit/integrity'))).toMatchObject({ ok: true, anchorsChecked: 1, unanchoredEvents: 0 });
    const stream = expectStatus(await auditor('GET', '/audit/integrity?stream=return-ENV-01-2026-27-Q1'), 200).body;
    expect(stream).toMatchObject({ ok: true, scope: 'return-ENV-01-2026-27-Q1', eventsChecked: 5, anchorsChecked: 1 });
  });

  it('gives an auditor a KPI evidence pack that the CLI verifies offline, and refuses tampered copies', async () => {
    const response = await fetch(`${api.baseUrl}/audit/evidence-packs/kpis/ENV-01`, {
      headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.auditor)}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="quarterly-evidence-kpi-ENV-01-\d{8}T\d{6}Z\.zip"$/);
    const pack = Buffer.from(await response.arrayBuffer());

    const zip = new AdmZip(pack);
    const names = zip.getEntries().map((entry) => entry.entryName).sort();
    expect(names).toEqual(['README.txt', 'anchors.json', 'events.json', 'history.csv', 'history.json', 'manifest.json', 'scorecards/2026-27-Q1-published-20260820T090000Z.json']);
    // The scorecard as published shows the figure of the time, not the later restatement.
    expect(JSON.parse(zip.readAsText('scorecards/2026-27-Q1-published-20260820T090000Z.json')).entry).toMatchObject({ kpiId: 'ENV-01', value: '44.0' });
    expect(zip.readAsText('history.csv').split('\n')[0]).toBe('position,eventId,kpiId,cycleId,periodCovered,kind,value,status,actor,recordedAt,commentary,reason,offTargetReason,routeToGreen,dataQualityNotes');
    const events = JSON.parse(zip.readAsText('events.json')) as Array<{ streamId: string; type: string; metadata: { integrity?: { hash: string } } }>;
    expect(new Set(events.map((event) => event.streamId))).toEqual(new Set(['kpi-ENV-01', 'return-ENV-01-2026-27-Q1']));
    expect(events.every((event) => /^[0-9a-f]{64}$/.test(event.metadata.integrity?.hash ?? ''))).toBe(true);

    const genuine = join(directory, 'genuine.zip');
    writeFileSync(genuine, pack);
    const digestFile = join(directory, 'digest.txt');
    writeFileSync(digestFile, await digestText());
    const ok = await cli(['verify-pack', genuine, '--digest', digestFile]);
    expect([ok.code, ok.stderr]).toEqual([0, expect.stringMatching(/^OK: .*genuine\.zip: 7 events in 2 stream\(s\)/)]);

    // A careful forger: one figure changed, and the manifest's hash of events.json updated to match.
    const submitted = events.find((event) => event.type === 'ReturnSubmitted')! as unknown as { id: string };
    const figure = forged(pack, 'events.json', (text) => text.replace('"value": "44.0"', '"value": "49.0"'), true);
    writeFileSync(join(directory, 'figure.zip'), figure);
    const refused = await cli(['verify-pack', join(directory, 'figure.zip')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^REFUSED: /);
    const report = JSON.parse(refused.stdout) as { firstProblem: { kind: string; eventId: string } };
    expect(report.firstProblem).toMatchObject({ kind: 'content_changed', eventId: submitted.id });

    // A derived file edited on its own: the manifest no longer matches.
    const csv = forged(pack, 'history.csv', (text) => text.replace('46.5', '40.0'), false);
    writeFileSync(join(directory, 'csv.zip'), csv);
    const csvRefused = await cli(['verify-pack', join(directory, 'csv.zip')]);
    expect(csvRefused.code).toBe(2);
    expect(JSON.parse(csvRefused.stdout).firstProblem).toMatchObject({ kind: 'file_changed', file: 'history.csv' });

    // The history made to agree with a forged figure, manifest updated: the events still disagree.
    const history = forged(pack, 'history.json', (text) => text.replace('"value": "46.5"', '"value": "41.5"'), true);
    writeFileSync(join(directory, 'history.zip'), history);
    expect(JSON.parse((await cli(['verify-pack', join(directory, 'history.zip')])).stdout).firstProblem).toMatchObject({ kind: 'history_mismatch' });
  });

  it('packs a cycle with its published scorecard', async () => {
    const response = await fetch(`${api.baseUrl}/audit/evidence-packs/cycles/2026-27-Q1`, {
      headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.auditor)}` },
    });
    expect(response.status).toBe(200);
    const zip = new AdmZip(Buffer.from(await response.arrayBuffer()));
    const manifest = JSON.parse(zip.readAsText('manifest.json'));
    expect(manifest.streams.map((stream: { streamId: string }) => stream.streamId)).toEqual([
      'cycle-2026-27-Q1',
      'return-ENV-01-2026-27-Q1',
      'return-ENV-02-2026-27-Q1',
    ]);
    const scorecard = JSON.parse(zip.readAsText('scorecards/2026-27-Q1-published-20260820T090000Z.json'));
    expect(scorecard.entries.map((entry: { kpiId: string; value: string }) => [entry.kpiId, entry.value])).toEqual([
      ['ENV-01', '44.0'],
      ['ENV-02', '12.0'],
    ]);
  });

  it('keeps packs and verification to auditors and the performance team, and names bad input', async () => {
    expect((await api.as(PRINCIPALS.placeLead)('GET', '/audit/evidence-packs/kpis/ENV-01')).status).toBe(403);
    expect((await api.as(PRINCIPALS.placeLead)('GET', '/audit/integrity')).status).toBe(403);
    expect((await api.as(PRINCIPALS.placeLead)('POST', '/audit/integrity/verifications', { body: {} })).status).toBe(403);
    const badId = await auditor('GET', '/audit/integrity/verifications/not-a-uuid');
    expect(badId.status).toBe(400);
    expect(JSON.stringify(badId.body)).toContain('verificationId');
    expect((await auditor('GET', '/audit/integrity/verifications/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await auditor('GET', '/audit/evidence-packs/kpis/NOPE-1')).status).toBe(404);
    const bad = await auditor('GET', '/audit/evidence-packs/kpis/bad%20id!');
    expect(bad.status).toBe(400);
    expect((await auditor('GET', '/audit/evidence-packs/cycles/2026-27-Q9')).status).toBe(400);
  });

  async function digestText(): Promise<string> {
    const response = await fetch(`${api.baseUrl}/audit/integrity/digest`, { headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.auditor)}` } });
    return response.text();
  }
});
