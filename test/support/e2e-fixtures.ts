import type { ApiClient, ApiResponse, ApiTestApp, TestPrincipal } from './api-test-app';

// Shared people, KPI definitions and small helpers for the HTTP end-to-end suites. The API
// authorises people of its directory only: `ApiTestApp.as` / `tokenFor` register each principal
// there (with these roles and directorate) before its first request.

export const PRINCIPALS = {
  team: { id: 'p.team', roles: ['performance-team'] },
  placeLead: { id: 's.lead', roles: ['service-lead'], directorate: 'Place' },
  otherPlaceLead: { id: 'o.lead', roles: ['service-lead'], directorate: 'Place' },
  peopleLead: { id: 'c.lead', roles: ['service-lead'], directorate: 'People' },
  placeDmt: { id: 'd.place', roles: ['dmt'], directorate: 'Place' },
  peopleDmt: { id: 'd.people', roles: ['dmt'], directorate: 'People' },
  clt: { id: 'c.exec', roles: ['clt'] },
  auditor: { id: 'a.audit', roles: ['auditor'] },
  member: { id: 'cllr.jones', roles: ['member'] },
} as const satisfies Record<string, TestPrincipal>;

/** The body of `POST /kpis`: a valid quarterly, higher-is-better percentage unless overridden. */
export function kpiDefinition(kpiId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kpiId,
    title: `Indicator ${kpiId}`,
    definition: `The precise definition of ${kpiId}.`,
    directorate: 'Place',
    serviceArea: 'Waste Management',
    planOutcome: '1.2.1 Keep our city clean',
    unit: 'percentage',
    decimalPlaces: 1,
    polarity: 'higher_is_better',
    frequency: 'quarterly',
    measureType: 'in_period',
    dataSource: 'Service system',
    limitations: '',
    benchmarkSources: [],
    labels: 'green_amber_red',
    owner: PRINCIPALS.placeLead.id,
    keyContacts: [],
    ...overrides,
  };
}

/** Green at 45.0 or above, amber at 40.0 or above, red below (higher is better). */
export const THRESHOLDS_45_40 = { kind: 'thresholds', green: '45.0', amber: '40.0' } as const;

/** Fails the test with the response body when the status is not the expected one. */
export function expectStatus(response: ApiResponse, status: number): ApiResponse {
  if (response.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response;
}

/** Defines a KPI and (optionally) its target policy for a financial year such as `2026-27`. */
export async function defineKpi(
  team: ApiClient,
  kpiId: string,
  overrides: Record<string, unknown> = {},
  targets: { financialYear: string; policy: Record<string, unknown> } | null = { financialYear: '2026-27', policy: THRESHOLDS_45_40 },
): Promise<void> {
  expectStatus(await team('POST', '/kpis', { body: kpiDefinition(kpiId, overrides) }), 201);
  if (targets) expectStatus(await team('PUT', `/kpis/${kpiId}/targets/${targets.financialYear}`, { body: { policy: targets.policy } }), 200);
}

/**
 * Opens a cycle (with the given timetable, or the default) and waits until the process manager
 * has requested its returns and the projections show them.
 */
export async function openCycle(api: ApiTestApp, team: ApiClient, cycleId: string, timetable?: Record<string, string>): Promise<ApiResponse> {
  const open = () => team('POST', '/cycles', { body: { cycleId, ...(timetable ? { timetable } : {}) } });
  let response = await open();
  // 503 read_models_behind: on a PostgreSQL cluster shared with other work, another session's
  // long transaction can hold the projections back; the API asks for a retry, so retry.
  for (let attempt = 1; response.status === 503 && attempt < 5; attempt += 1) response = await open();
  const opened = expectStatus(response, 201);
  await settle(api);
  return opened;
}

/**
 * Waits until process managers and projections have caught up with every event this API
 * instance has written (and the process managers' own appends). Positions come from the
 * executor, not from `readAll`: in PostgreSQL mode `readAll` only shows events below the
 * cluster-wide transaction horizon, which another session's open transaction holds back.
 */
export async function settle(api: ApiTestApp): Promise<void> {
  let reached: bigint | undefined;
  for (;;) {
    const last = api.engine.executor.lastAppendedPosition;
    if (last === undefined || last === reached) break;
    await api.engine.waitForProcessManagers(last);
    reached = last;
  }
  if (reached !== undefined) await api.engine.waitForProjections(reached);
}

/** The path segment of a period: `2026/27-Q2` → `2026-27-Q2`. */
export function pathOf(periodId: string): string {
  return periodId.replace('/', '-');
}

/** Submits a figure (with off-target justification, so any value is accepted) and returns the response. */
export async function submitFigure(lead: ApiClient, kpiId: string, cycleId: string, value: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return lead('POST', `/returns/${kpiId}/${pathOf(cycleId)}/submission`, {
    body: { value, commentary: `Figure for ${cycleId}.`, offTargetReason: 'Seasonal dip.', routeToGreen: 'Recovery plan.' },
    headers,
  });
}

/** Submits then approves a figure; answers the approval. */
export async function submitAndApprove(lead: ApiClient, dmt: ApiClient, kpiId: string, cycleId: string, value: string): Promise<ApiResponse> {
  const submitted = expectStatus(await submitFigure(lead, kpiId, cycleId, value), 200);
  return expectStatus(
    await dmt('POST', `/returns/${kpiId}/${pathOf(cycleId)}/approval`, { body: {}, headers: { 'if-match': submitted.headers.get('etag')! } }),
    200,
  );
}
