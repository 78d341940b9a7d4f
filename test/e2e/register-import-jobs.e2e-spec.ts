import ExcelJS from 'exceljs';
import { KPI_COLUMNS, PEOPLE_COLUMNS } from '@quarterly/register-import';
import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { PRINCIPALS } from '@quarterly/testing/e2e-fixtures';
import { SmtpTestServer } from '@quarterly/testing/smtp-test-server';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Polls until the probe answers; the bound is only there so a broken queue fails the test. */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function register(kpis: number): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('KPIs');
  sheet.addRow(KPI_COLUMNS.map((c) => c.name));
  for (let i = 1; i <= kpis; i += 1) {
    const row: Record<string, string> = {
      kpiId: `Q-${String(i).padStart(3, '0')}`, title: `Indicator ${i}`, definition: 'Numerator over denominator.', directorate: 'Place',
      serviceArea: 'Waste', planOutcome: '1.2.1 Keep our city clean', owner: 'r.owner', unit: 'count', decimalPlaces: '0',
      polarity: 'lower_is_better', frequency: 'quarterly', measureType: 'in_period', dataSource: 'System', labels: 'green_amber_red',
      financialYear: '2026/27', policy: 'tolerance', target: '120', tolerancePercent: '10',
    };
    sheet.addRow(KPI_COLUMNS.map((c) => row[c.name] ?? ''));
  }
  const people = book.addWorksheet('People');
  people.addRow(PEOPLE_COLUMNS.map((c) => c.name));
  people.addRow(['r.owner', 'Rae Owner', 'rae@council.example', 'service-lead', 'Place']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A large register as a queued job on a real Redis: progress while it runs, the report at the end. */
describe('queued register import', () => {
  let smtp: SmtpTestServer;
  let api: ApiTestApp;
  let team: ApiClient;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    api = await startApiTestApp({ now: '2026-05-01T09:00:00Z', reminders: { smtpUrl: smtp.url } });
    team = api.as(PRINCIPALS.team);
  });

  afterAll(async () => {
    await api?.close();
    await smtp?.stop();
  });

  const enqueue = async (mode: string, body: Buffer) => {
    const response = await fetch(`${api.baseUrl}/register-imports/jobs?fileName=register.xlsx&mode=${mode}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.team)}`, 'content-type': XLSX },
      body,
    });
    return { status: response.status, location: response.headers.get('location'), body: (await response.json()) as { id: string; fileName: string; mode: string } };
  };

  it('runs a dry run, then the apply, reporting progress and the report, as the person who queued it', async () => {
    const file = await register(150);
    const dry = await enqueue('dry-run', file);
    expect(dry.status).toBe(202);
    expect(dry.location).toBe(`/register-imports/jobs/${dry.body.id}`);
    expect(dry.body).toMatchObject({ fileName: 'register.xlsx', mode: 'dry-run' });
    const dryDone = await eventually(async () => {
      const status = (await team('GET', dry.location!)).body;
      return status.state === 'completed' ? status : undefined;
    }, 'the dry run');
    expect(dryDone.report).toMatchObject({ mode: 'dry-run', applied: false, summary: { new: 151, refused: 0 } });
    expect(await api.engine.store.readStream('kpi-Q-001')).toEqual([]);

    const apply = await enqueue('apply', file);
    const seen = new Set<string>();
    const done = await eventually(async () => {
      const status = (await team('GET', apply.location!)).body;
      if (status.progress) seen.add(status.progress.phase);
      return status.state === 'completed' ? status : undefined;
    }, 'the apply');
    expect(done.report).toMatchObject({ mode: 'apply', applied: true, eventsAppended: 301 });
    expect(done.progress).toEqual({ phase: 'done', done: 151, total: 151 });
    expect(seen.has('done')).toBe(true);
    expect((await api.engine.store.readStream('kpi-Q-150')).map((e) => [e.type, e.metadata.actor])).toEqual([
      ['KpiDefined', PRINCIPALS.team.id],
      ['KpiTargetPolicySet', PRINCIPALS.team.id],
    ]);
  });

  it('answers 404 for a job it does not know and 400 for a job id that is not one', async () => {
    expect((await team('GET', '/register-imports/jobs/7d3c0c1e-52b1-4c4e-9a0e-1f2d3c4b5a69')).status).toBe(404);
    expect((await team('GET', '/register-imports/jobs/latest')).status).toBe(400);
  });
});
