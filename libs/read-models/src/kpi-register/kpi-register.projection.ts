import { KPI_EVENT_TYPES, KpiDescription, KpiEventType, KpiYearTargets, withTargetSet } from '@quarterly/domain';
import { DecodedEventOf, unhandledEvent } from '@quarterly/event-codec';
import { Insertable, Kysely, Updateable } from 'kysely';
import type { ReadModelDialect } from '../database/read-model-database';
import { HistoryKpiPlanOutcomeTable, HistoryKpiTargetTable, KpiTable, KpiTargetTable, ReadModelSchema } from '../database/read-model-schema';
import { RowBatchWriter, type RowStatement } from '../database/row-batch.writer';
import { Projection, RebuildFold } from '../projection/projection';
import { toInstant } from '../shared/column-values';
import { streamRefsOf } from '../shared/stream-refs';

/**
 * The current definition, people, targets and retirement of every KPI (tables `kpis`,
 * `kpi_targets`), and every target and plan outcome each has had since (`history_kpi_targets`,
 * `history_kpi_plan_outcomes`), for scorecards "as at" an instant.
 */
export class KpiRegisterProjection implements Projection<KpiEventType> {
  readonly name = 'kpi-register';
  /**
   * 2: target and plan-outcome history, so a scorecard as at an instant shows that instant's.
   * 3: a year's whole target set (period profile, rated figure, last-year basis) and unit labels.
   */
  readonly version = 3;
  readonly eventTypes = KPI_EVENT_TYPES;
  readonly tables = ['kpis', 'kpi_targets', 'history_kpi_targets', 'history_kpi_plan_outcomes'] as const;

  async apply(trx: Kysely<ReadModelSchema>, event: DecodedEventOf<KpiEventType>): Promise<void> {
    const at = toInstant(event.metadata.recordedAt);
    const position = event.position;
    const kpiId = streamRefsOf(event.streamId).kpiId;
    if (kpiId === null) return;
    switch (event.type) {
      case 'KpiDefined': {
        const data = event.data;
        await trx
          .insertInto('kpis')
          .values(definedRow(event, at))
          .onConflict((oc) => oc.column('kpi_id').doNothing())
          .execute();
        await this.recordPlanOutcome(trx, kpiId, position, data.planOutcome, at);
        return;
      }
      case 'KpiDefinitionAmended': {
        const data = event.data;
        if (data.changes.planOutcome !== undefined) await this.recordPlanOutcome(trx, kpiId, position, data.changes.planOutcome, at);
        await this.update(trx, kpiId, position, amendedColumns(data, at));
        return;
      }
      case 'KpiOwnershipChanged': {
        await this.update(trx, kpiId, position, ownerColumns(event.data, at));
        return;
      }
      case 'KpiRetired': {
        await this.update(trx, kpiId, position, retiredColumns(event.data, at));
        return;
      }
      case 'KpiTargetPolicySet': {
        const data = event.data;
        // The year's target set so far, as the row holding it says (a row written before sets
        // were kept holds the year's policy alone).
        const current = await trx
          .selectFrom('kpi_targets')
          .select(['policy', 'targets', 'last_position'])
          .where('kpi_id', '=', kpiId)
          .where('financial_year', '=', data.financialYear)
          .executeTakeFirst();
        if (current && BigInt(current.last_position) >= position) return; // applied already
        const values = targetColumns(event, current, at);
        await trx
          .insertInto('kpi_targets')
          .values({ kpi_id: kpiId, financial_year: data.financialYear, ...values })
          .onConflict((oc) =>
            oc
              .columns(['kpi_id', 'financial_year'])
              .doUpdateSet(values)
              .where('kpi_targets.last_position', '<', position),
          )
          .execute();
        await trx
          .insertInto('history_kpi_targets')
          .values({ kpi_id: kpiId, financial_year: data.financialYear, position, policy: values.policy, targets: values.targets, recorded_at: at })
          .onConflict((oc) => oc.columns(['kpi_id', 'financial_year', 'position']).doNothing())
          .execute();
        await this.update(trx, kpiId, position, { updated_at: at });
        return;
      }
      default:
        unhandledEvent(event);
    }
  }

  /**
   * The same rows in a rebuild's worker thread: every KPI's row and every year's target set kept
   * in memory from the first event (a few hundred KPIs), so a page is a few row batches instead
   * of a round trip or four per event (a register of 400 KPIs and their targets was 2,400 single
   * statements in the first page, about 0.3 s on PostgreSQL). From zero and in order, the live
   * path's guards (`last_position < position`, `on conflict do nothing` for a position already
   * written) always pass, as they do here; a row is written once a page, as it stands at the
   * page's end.
   */
  rebuildFold(dialect: ReadModelDialect): RebuildFold<KpiEventType> {
    const kpis = new Map<string, Insertable<KpiTable>>();
    const targets = new Map<string, Insertable<KpiTargetTable> & { targets: string }>();
    return {
      fold: async (events) => {
        const changedKpis = new Set<string>();
        const changedTargets = new Set<string>();
        const planOutcomes: Insertable<HistoryKpiPlanOutcomeTable>[] = [];
        const targetHistory: Insertable<HistoryKpiTargetTable>[] = [];
        const update = (kpiId: string, position: bigint, changes: Updateable<KpiTable>) => {
          const row = kpis.get(kpiId);
          if (row === undefined || BigInt(row.last_position) >= position) return;
          kpis.set(kpiId, { ...row, ...(changes as Partial<Insertable<KpiTable>>), last_position: position });
          changedKpis.add(kpiId);
        };
        for (const event of events) {
          const at = toInstant(event.metadata.recordedAt);
          const position = event.position;
          const kpiId = streamRefsOf(event.streamId).kpiId;
          if (kpiId === null) continue;
          switch (event.type) {
            case 'KpiDefined': {
              if (!kpis.has(event.data.kpiId)) {
                kpis.set(event.data.kpiId, definedRow(event, at));
                changedKpis.add(event.data.kpiId);
              }
              planOutcomes.push({ kpi_id: kpiId, position, plan_outcome: event.data.planOutcome, recorded_at: at });
              break;
            }
            case 'KpiDefinitionAmended': {
              const data = event.data;
              if (data.changes.planOutcome !== undefined) planOutcomes.push({ kpi_id: kpiId, position, plan_outcome: data.changes.planOutcome, recorded_at: at });
              update(kpiId, position, amendedColumns(data, at));
              break;
            }
            case 'KpiOwnershipChanged':
              update(kpiId, position, ownerColumns(event.data, at));
              break;
            case 'KpiRetired':
              update(kpiId, position, retiredColumns(event.data, at));
              break;
            case 'KpiTargetPolicySet': {
              const key = `${kpiId}\u0000${event.data.financialYear}`;
              const current = targets.get(key);
              if (current && BigInt(current.last_position) >= position) break;
              const values = targetColumns(event, current, at);
              targets.set(key, { kpi_id: kpiId, financial_year: event.data.financialYear, ...values });
              changedTargets.add(key);
              targetHistory.push({ kpi_id: kpiId, financial_year: event.data.financialYear, position, policy: values.policy, targets: values.targets, recorded_at: at });
              update(kpiId, position, { updated_at: at });
              break;
            }
            default:
              unhandledEvent(event);
          }
        }
        const statements: RowStatement[] = [];
        if (changedKpis.size > 0) statements.push(KPI_ROWS.statementOf([...changedKpis].map((id) => kpis.get(id)!), dialect));
        if (changedTargets.size > 0) statements.push(KPI_TARGET_ROWS.statementOf([...changedTargets].map((key) => targets.get(key)!), dialect));
        if (targetHistory.length > 0) statements.push(KPI_TARGET_HISTORY_ROWS.statementOf(targetHistory, dialect));
        if (planOutcomes.length > 0) statements.push(KPI_PLAN_OUTCOME_ROWS.statementOf(planOutcomes, dialect));
        return statements;
      },
    };
  }

  private async recordPlanOutcome(trx: Kysely<ReadModelSchema>, kpiId: string, position: bigint, planOutcome: string, at: string): Promise<void> {
    await trx
      .insertInto('history_kpi_plan_outcomes')
      .values({ kpi_id: kpiId, position, plan_outcome: planOutcome, recorded_at: at })
      .onConflict((oc) => oc.columns(['kpi_id', 'position']).doNothing())
      .execute();
  }

  /** Updates a KPI unless this event (or a later one) is already reflected: idempotent. */
  private async update(
    trx: Kysely<ReadModelSchema>,
    kpiId: string,
    position: bigint,
    changes: Updateable<KpiTable>,
  ): Promise<void> {
    await trx
      .updateTable('kpis')
      .set({ ...changes, last_position: position })
      .where('kpi_id', '=', kpiId)
      .where('last_position', '<', position)
      .execute();
  }
}

/** A KPI's row as its definition writes it. */
function definedRow(event: DecodedEventOf<'KpiDefined'>, at: string): Insertable<KpiTable> {
  const data = event.data;
  return {
    kpi_id: data.kpiId,
    title: data.title,
    definition: data.definition,
    directorate: data.directorate,
    service_area: data.serviceArea,
    plan_outcome: data.planOutcome,
    owner: data.owner,
    key_contacts: JSON.stringify(data.keyContacts),
    unit: data.unit,
    decimal_places: data.decimalPlaces,
    polarity: data.polarity,
    frequency: data.frequency,
    annual_due_quarter: data.annualDueQuarter ?? null,
    measure_type: data.measureType,
    data_source: data.dataSource,
    limitations: data.limitations,
    benchmark_sources: JSON.stringify(data.benchmarkSources),
    labels: data.labels,
    unit_label: data.unitLabel ?? null,
    under_qa_until: null,
    retired: 0,
    retired_reason: null,
    retired_effective_from: null,
    defined_at: at,
    updated_at: at,
    last_position: event.position,
  };
}

function amendedColumns(data: DecodedEventOf<'KpiDefinitionAmended'>['data'], at: string): Updateable<KpiTable> {
  return {
    ...descriptionColumns(data.changes),
    ...(data.underQualityAssuranceUntil !== undefined ? { under_qa_until: data.underQualityAssuranceUntil } : {}),
    updated_at: at,
  };
}

function ownerColumns(data: DecodedEventOf<'KpiOwnershipChanged'>['data'], at: string): Updateable<KpiTable> {
  return { owner: data.owner, key_contacts: JSON.stringify(data.keyContacts), updated_at: at };
}

function retiredColumns(data: DecodedEventOf<'KpiRetired'>['data'], at: string): Updateable<KpiTable> {
  return { retired: 1, retired_reason: data.reason, retired_effective_from: data.effectiveFrom, updated_at: at };
}

/** A year's target row after a `KpiTargetPolicySet`, from the row before (if any). */
function targetColumns(
  event: DecodedEventOf<'KpiTargetPolicySet'>,
  current: { readonly policy: string; readonly targets: string | null } | undefined,
  at: string,
): { policy: string; targets: string; set_by: string; set_at: string; last_position: bigint } {
  const before: KpiYearTargets | undefined = current
    ? (current.targets === null ? { policy: JSON.parse(current.policy), periods: {} } : JSON.parse(current.targets))
    : undefined;
  const targets = withTargetSet(before, event.data);
  return {
    policy: JSON.stringify(targets.policy),
    targets: JSON.stringify(targets),
    set_by: event.metadata.actor,
    set_at: at,
    last_position: event.position,
  };
}

const KPI_ROWS = new RowBatchWriter({
  table: 'kpis',
  columns: {
    kpi_id: 'text',
    title: 'text',
    definition: 'text',
    directorate: 'text',
    service_area: 'text',
    plan_outcome: 'text',
    owner: 'text',
    key_contacts: 'text',
    unit: 'text',
    decimal_places: 'integer',
    polarity: 'text',
    frequency: 'text',
    annual_due_quarter: 'integer',
    measure_type: 'text',
    data_source: 'text',
    limitations: 'text',
    benchmark_sources: 'text',
    labels: 'text',
    unit_label: 'text',
    under_qa_until: 'text',
    retired: 'integer',
    retired_reason: 'text',
    retired_effective_from: 'text',
    defined_at: 'text',
    updated_at: 'text',
    last_position: 'bigint',
  },
  key: ['kpi_id'],
  onConflict: 'update',
});

const KPI_TARGET_ROWS = new RowBatchWriter({
  table: 'kpi_targets',
  columns: { kpi_id: 'text', financial_year: 'text', policy: 'text', targets: 'text', set_by: 'text', set_at: 'text', last_position: 'bigint' },
  key: ['kpi_id', 'financial_year'],
  onConflict: 'update',
});

const KPI_TARGET_HISTORY_ROWS = new RowBatchWriter({
  table: 'history_kpi_targets',
  columns: { kpi_id: 'text', financial_year: 'text', position: 'bigint', policy: 'text', targets: 'text', recorded_at: 'text' },
  key: ['kpi_id', 'financial_year', 'position'],
  onConflict: 'nothing',
});

const KPI_PLAN_OUTCOME_ROWS = new RowBatchWriter({
  table: 'history_kpi_plan_outcomes',
  columns: { kpi_id: 'text', position: 'bigint', plan_outcome: 'text', recorded_at: 'text' },
  key: ['kpi_id', 'position'],
  onConflict: 'nothing',
});

/** The columns of the descriptive fields an amendment changes. */
function descriptionColumns(description: Partial<KpiDescription>): Updateable<KpiTable> {
  const columns: Updateable<KpiTable> = {};
  const d = description;
  if (d.title !== undefined) columns.title = d.title;
  if (d.definition !== undefined) columns.definition = d.definition;
  if (d.directorate !== undefined) columns.directorate = d.directorate;
  if (d.serviceArea !== undefined) columns.service_area = d.serviceArea;
  if (d.planOutcome !== undefined) columns.plan_outcome = d.planOutcome;
  if (d.unit !== undefined) columns.unit = d.unit;
  if (d.decimalPlaces !== undefined) columns.decimal_places = d.decimalPlaces;
  if (d.polarity !== undefined) columns.polarity = d.polarity;
  if (d.frequency !== undefined) columns.frequency = d.frequency;
  if (d.annualDueQuarter !== undefined) columns.annual_due_quarter = d.annualDueQuarter;
  if (d.measureType !== undefined) columns.measure_type = d.measureType;
  if (d.dataSource !== undefined) columns.data_source = d.dataSource;
  if (d.limitations !== undefined) columns.limitations = d.limitations;
  if (d.benchmarkSources !== undefined) columns.benchmark_sources = JSON.stringify(d.benchmarkSources);
  if (d.labels !== undefined) columns.labels = d.labels;
  if (d.unitLabel !== undefined) columns.unit_label = d.unitLabel;
  return columns;
}
