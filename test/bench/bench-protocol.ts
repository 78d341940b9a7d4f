/** What the benchmark parent and its API host process (bench-api-host.ts) share. */

/** HS256 secret of the benchmark's throwaway API; the parent never signs anything itself. */
export const BENCH_SECRET = 'benchmark-only-secret-0123456789abcdefghijklmnop';

export const BENCH_PRINCIPALS = {
  /** Keeps the register (POST /kpis). */
  team: { id: 'p.team', roles: ['performance-team'] as const },
  /** Owns every benchmark KPI, so may submit its returns. */
  lead: { id: 's.lead', roles: ['service-lead'] as const, directorate: 'Place' },
};

/** A realistic register entry (the e2e test's recycling KPI); `kpiId` is set per request. */
export const BENCH_KPI = {
  title: 'Household waste sent for reuse, recycling or composting',
  definition: 'Tonnage of household waste reused, recycled or composted divided by total household waste collected.',
  directorate: 'Place',
  serviceArea: 'Waste Management',
  planOutcome: '1.2.1 Keep our city clean',
  unit: 'percentage' as const,
  decimalPlaces: 1,
  polarity: 'higher_is_better' as const,
  frequency: 'quarterly' as const,
  measureType: 'year_to_date' as const,
  dataSource: 'WasteDataFlow',
  limitations: 'Provisional until validated by DEFRA.',
  benchmarkSources: ['national average', 'core cities'],
  labels: 'green_amber_red' as const,
  owner: 's.lead',
  keyContacts: [] as string[],
};

/** A green figure (the target is 45.0 green, 40.0 amber), so no off-target reason is needed. */
export const BENCH_SUBMISSION = { value: '47.3', commentary: 'Garden waste collections resumed after the dry spell.' };

export type HostMessage =
  | {
      readonly type: 'ready';
      readonly port: number;
      readonly tokens: { readonly team: string; readonly lead: string };
      /** `/returns/<kpi>/<period>/submission` of every prepared return, each to submit once. */
      readonly returnPaths: readonly string[];
      /** Every KPI defined, owned by BENCH_PRINCIPALS.lead. */
      readonly kpiIds: readonly string[];
      readonly setupSeconds: number;
    }
  | { readonly type: 'profiling' }
  /**
   * The host's CPU time so far (process.cpuUsage), in microseconds, and its memory now; with
   * `BENCH_PROJECTIONS=worker` also the projection process's CPU (user + system).
   */
  | {
      readonly type: 'cpu';
      readonly userUs: number;
      readonly systemUs: number;
      readonly workerUs?: number;
      readonly rssBytes: number;
      readonly heapUsedBytes: number;
      readonly externalBytes: number;
    }
  | { readonly type: 'profiled'; readonly file: string };

export type ParentMessage =
  | { readonly type: 'profile'; readonly action: 'start' }
  | { readonly type: 'profile'; readonly action: 'stop'; readonly file: string }
  | { readonly type: 'cpu' }
  | { readonly type: 'stop' };
