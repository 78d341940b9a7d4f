/**
 * Row types of every read-model table, as Kysely sees them. One schema serves SQLite and
 * PostgreSQL, so the types are the common denominator:
 * - decimals (KPI values) are TEXT, never REAL/float;
 * - positions are BIGINT (INTEGER affinity in SQLite); drivers hand them back as a string (pg)
 *   or a bigint (better-sqlite3 with safe integers), so reads go through `toBigInt`;
 * - JSON documents (arrays, ratings, policies, event data) are TEXT holding JSON;
 * - instants are ISO 8601 UTC strings normalised by `toInstant` so they sort as text;
 * - booleans are 0/1 integers.
 */

/** How the drivers return a BIGINT or INTEGER column. */
export type DbInteger = number | bigint | string;

export interface ProjectionCheckpointTable {
  name: string;
  /** The projection's version that wrote this checkpoint; a different version means rebuild. */
  version: DbInteger;
  position: DbInteger;
  updated_at: string;
}

export interface KpiTable {
  kpi_id: string;
  title: string;
  definition: string;
  directorate: string;
  service_area: string;
  plan_outcome: string;
  owner: string;
  key_contacts: string;
  unit: string;
  decimal_places: DbInteger;
  polarity: string;
  frequency: string;
  annual_due_quarter: DbInteger | null;
  measure_type: string;
  data_source: string;
  limitations: string;
  benchmark_sources: string;
  labels: string;
  unit_label: string | null;
  under_qa_until: string | null;
  retired: DbInteger;
  retired_reason: string | null;
  retired_effective_from: string | null;
  defined_at: string;
  updated_at: string;
  last_position: DbInteger;
}

export interface KpiTargetTable {
  kpi_id: string;
  financial_year: string;
  policy: string;
  /** The year's whole target set (`KpiYearTargets` JSON); null on rows written before it was kept. */
  targets: string | null;
  set_by: string;
  set_at: string;
  last_position: DbInteger;
}

export interface PersonTable {
  person_id: string;
  name: string;
  email: string;
  roles: string;
  directorate: string | null;
  /** The identity provider's stable id for the person (e.g. Entra ID's `oid`), if given. */
  sign_in_id: string | null;
  active: DbInteger;
  deactivated_reason: string | null;
  registered_at: string;
  updated_at: string;
  last_position: DbInteger;
}

export interface CycleTable {
  cycle_id: string;
  financial_year: string;
  quarter: DbInteger;
  returns_due: string;
  dmt_review_deadline: string;
  clt_date: string;
  publication_date: string;
  state: string;
  requested_count: DbInteger;
  opened_at: string;
  closed_at: string | null;
  last_position: DbInteger;
}

export interface ReturnTable {
  return_id: string;
  kpi_id: string;
  cycle_id: string;
  financial_year: string;
  quarter: DbInteger;
  period_covered: string;
  expected_months: string;
  due_date: string;
  kpi_title: string;
  directorate: string;
  owner: string;
  key_contacts: string;
  unit: string;
  polarity: string;
  frequency: string;
  measure_type: string;
  state: string;
  value: string | null;
  rating: string | null;
  submitted_by: string | null;
  submitted_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  escalation_level: string;
  challenge_count: DbInteger;
  reminder_count: DbInteger;
  chaser_count: DbInteger;
  requested_at: string;
  updated_at: string;
  last_position: DbInteger;
}

/** The returns the value history knows of, with what scorecards need of their KPI snapshot. */
export interface HistoryReturnTable {
  return_id: string;
  kpi_id: string;
  cycle_id: string;
  period_covered: string;
  kpi_title: string;
  directorate: string;
  unit: string;
  decimal_places: DbInteger;
  polarity: string;
  frequency: string;
  measure_type: string;
  unit_label: string | null;
  requested_at: string;
  position: DbInteger;
}

/** Each due date a return has had, from the instant it took effect (request or due-date change). */
export interface HistoryDueDateTable {
  return_id: string;
  position: DbInteger;
  cycle_id: string;
  due_date: string;
  recorded_at: string;
}

/** Every target policy a KPI has had for a financial year, from when it was set. */
export interface HistoryKpiTargetTable {
  kpi_id: string;
  financial_year: string;
  position: DbInteger;
  policy: string;
  /** The year's whole target set from this position (`KpiYearTargets` JSON); null on older rows. */
  targets: string | null;
  recorded_at: string;
}

/** Every plan outcome a KPI has been filed under, from when it was. */
export interface HistoryKpiPlanOutcomeTable {
  kpi_id: string;
  position: DbInteger;
  plan_outcome: string;
  recorded_at: string;
}

export interface ValueHistoryTable {
  event_id: string;
  position: DbInteger;
  return_id: string;
  kpi_id: string;
  cycle_id: string;
  period_covered: string;
  kind: string;
  value: string | null;
  in_period_value: string | null;
  year_to_date_value: string | null;
  monthly_values: string;
  rating: string | null;
  status: string | null;
  actor: string;
  recorded_at: string;
  commentary: string | null;
  reason: string | null;
  off_target_reason: string | null;
  route_to_green: string | null;
  data_quality_notes: string | null;
  /** JSON `ImportedFigureNote` for a figure imported as published; null otherwise. */
  imported: string | null;
}

export interface AuditLogTable {
  event_id: string;
  position: DbInteger;
  stream_id: string;
  revision: DbInteger;
  event_type: string;
  schema_version: DbInteger;
  data: string;
  actor: string;
  recorded_at: string;
  correlation_id: string;
  causation_id: string;
  return_id: string | null;
  kpi_id: string | null;
  cycle_id: string | null;
}

export interface ReadModelSchema {
  projection_checkpoints: ProjectionCheckpointTable;
  kpis: KpiTable;
  kpi_targets: KpiTargetTable;
  people: PersonTable;
  cycles: CycleTable;
  returns: ReturnTable;
  history_returns: HistoryReturnTable;
  history_due_dates: HistoryDueDateTable;
  history_kpi_targets: HistoryKpiTargetTable;
  history_kpi_plan_outcomes: HistoryKpiPlanOutcomeTable;
  value_history: ValueHistoryTable;
  audit_log: AuditLogTable;
}

export type ReadModelTableName = keyof ReadModelSchema;
