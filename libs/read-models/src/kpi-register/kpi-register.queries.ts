import {
  Frequency,
  KpiYearTargets,
  LastYearBasis,
  RatedFigure,
  TargetPeriod,
  KpiUnit,
  MeasureType,
  Polarity,
  Quarter,
  RatingLabels,
  RatingPolicy,
} from '@quarterly/domain';
import { Kysely, Selectable, sql } from 'kysely';
import { KpiTable, ReadModelSchema } from '../database/read-model-schema';
import { fromJson, toNumber } from '../shared/column-values';

export interface KpiTarget {
  readonly financialYear: string;
  /** The whole year's policy. */
  readonly policy: RatingPolicy;
  /** The quarterly or interim profile: policies for single periods, overriding the year's there. */
  readonly periods: Readonly<Partial<Record<TargetPeriod, RatingPolicy>>>;
  /** The figure rated, when the year states it (else the KPI's measure type). */
  readonly ratedFigure: RatedFigure | null;
  /** What "vs last year" compares with (`same_period` unless the year states otherwise). */
  readonly lastYearBasis: LastYearBasis;
  /** Who set the year's targets last, and when. */
  readonly setBy: string;
  readonly setAt: string;
}

/** A KPI as the register holds it now. */
export interface KpiView {
  readonly kpiId: string;
  readonly title: string;
  readonly definition: string;
  readonly directorate: string;
  readonly serviceArea: string;
  readonly planOutcome: string;
  readonly owner: string;
  readonly keyContacts: readonly string[];
  readonly unit: KpiUnit;
  readonly decimalPlaces: number;
  readonly polarity: Polarity;
  readonly frequency: Frequency;
  readonly annualDueQuarter: Quarter | null;
  readonly measureType: MeasureType;
  readonly dataSource: string;
  readonly limitations: string;
  readonly benchmarkSources: readonly string[];
  readonly labels: RatingLabels;
  /** The free-text unit label figures are displayed with, when the KPI states one. */
  readonly unitLabel: string | null;
  /** Figures up to and including this quarter have no status while a new definition beds in. */
  readonly underQualityAssuranceUntil: string | null;
  readonly retired: boolean;
  readonly retiredReason: string | null;
  readonly retiredFrom: string | null;
  readonly definedAt: string;
  readonly updatedAt: string;
  /** Target policies by financial year, oldest first. */
  readonly targets: readonly KpiTarget[];
}

export interface ListKpisFilter {
  /** Include retired KPIs. @defaultValue false */
  readonly includeRetired?: boolean;
  readonly directorate?: string;
  /** KPIs this person owns or is a key contact for. */
  readonly person?: string;
}

/** The register, ordered by KPI id. */
export async function listKpis(
  db: Kysely<ReadModelSchema>,
  filter: ListKpisFilter = {},
): Promise<KpiView[]> {
  let query = db.selectFrom('kpis').selectAll().orderBy('kpi_id');
  if (!filter.includeRetired) query = query.where('retired', '=', 0);
  if (filter.directorate !== undefined) query = query.where('directorate', '=', filter.directorate);
  const rows = await query.execute();
  const targets = await targetsOf(db, rows.map((r) => r.kpi_id));
  return rows
    .map((row) => toKpiView(row, targets.get(row.kpi_id) ?? []))
    .filter((kpi) => filter.person === undefined || kpi.owner === filter.person || kpi.keyContacts.includes(filter.person));
}

/**
 * What the register's rules across streams need (`RegisterFacts`), read with two narrow queries
 * instead of the whole register: the ids that differ from `kpiId` only in case (with `kpiId`
 * itself, if defined), or every id when no `kpiId` is given; and every directorate, retired KPIs
 * included. KPI ids are ASCII (`KPI_ID_PATTERN`), so SQL's `lower` folds them as JavaScript does.
 */
export async function readRegisterFacts(
  db: Kysely<ReadModelSchema>,
  about: { readonly kpiId?: string } = {},
): Promise<{ kpiIds: string[]; directorates: string[] }> {
  let ids = db.selectFrom('kpis').select('kpi_id');
  if (about.kpiId !== undefined) ids = ids.where(sql<string>`lower(kpi_id)`, '=', about.kpiId.toLowerCase());
  const [idRows, directorateRows] = await Promise.all([
    ids.orderBy('kpi_id').execute(),
    db.selectFrom('kpis').select('directorate').distinct().orderBy('directorate').execute(),
  ]);
  return { kpiIds: idRows.map((row) => row.kpi_id), directorates: directorateRows.map((row) => row.directorate) };
}

/** One KPI, or undefined when the register has never heard of it. */
export async function getKpi(db: Kysely<ReadModelSchema>, kpiId: string): Promise<KpiView | undefined> {
  const row = await db.selectFrom('kpis').selectAll().where('kpi_id', '=', kpiId).executeTakeFirst();
  if (!row) return undefined;
  return toKpiView(row, (await targetsOf(db, [kpiId])).get(kpiId) ?? []);
}

async function targetsOf(db: Kysely<ReadModelSchema>, kpiIds: readonly string[]): Promise<Map<string, KpiTarget[]>> {
  const byKpi = new Map<string, KpiTarget[]>();
  if (kpiIds.length === 0) return byKpi;
  const rows = await db
    .selectFrom('kpi_targets')
    .selectAll()
    .where('kpi_id', 'in', kpiIds)
    .orderBy('kpi_id')
    .orderBy('financial_year')
    .execute();
  for (const row of rows) {
    const list = byKpi.get(row.kpi_id) ?? [];
    const set: KpiYearTargets =
      row.targets === null ? { policy: fromJson<RatingPolicy>(row.policy), periods: {} } : fromJson<KpiYearTargets>(row.targets);
    list.push({
      financialYear: row.financial_year,
      policy: set.policy,
      periods: set.periods,
      ratedFigure: set.ratedFigure ?? null,
      lastYearBasis: set.lastYearBasis ?? 'same_period',
      setBy: row.set_by,
      setAt: row.set_at,
    });
    byKpi.set(row.kpi_id, list);
  }
  return byKpi;
}

function toKpiView(row: Selectable<KpiTable>, targets: readonly KpiTarget[]): KpiView {
  return {
    kpiId: row.kpi_id,
    title: row.title,
    definition: row.definition,
    directorate: row.directorate,
    serviceArea: row.service_area,
    planOutcome: row.plan_outcome,
    owner: row.owner,
    keyContacts: fromJson<string[]>(row.key_contacts),
    unit: row.unit as KpiUnit,
    decimalPlaces: toNumber(row.decimal_places),
    polarity: row.polarity as Polarity,
    frequency: row.frequency as Frequency,
    annualDueQuarter: row.annual_due_quarter === null ? null : (toNumber(row.annual_due_quarter) as Quarter),
    measureType: row.measure_type as MeasureType,
    dataSource: row.data_source,
    limitations: row.limitations,
    benchmarkSources: fromJson<string[]>(row.benchmark_sources),
    labels: row.labels as RatingLabels,
    unitLabel: row.unit_label ?? null,
    underQualityAssuranceUntil: row.under_qa_until,
    retired: toNumber(row.retired) === 1,
    retiredReason: row.retired_reason,
    retiredFrom: row.retired_effective_from,
    definedAt: row.defined_at,
    updatedAt: row.updated_at,
    targets,
  };
}
