import { KPI_EVENT_TYPES, KpiDescription, KpiEventType, KpiYearTargets, withTargetSet } from '@quarterly/domain';
import { DecodedEventOf, unhandledEvent } from '@quarterly/event-codec';
import { Kysely, Updateable } from 'kysely';
import { KpiTable, ReadModelSchema } from '../database/read-model-schema';
import { Projection } from '../projection/projection';
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
          .values({
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
            last_position: position,
          })
          .onConflict((oc) => oc.column('kpi_id').doNothing())
          .execute();
        await this.recordPlanOutcome(trx, kpiId, position, data.planOutcome, at);
        return;
      }
      case 'KpiDefinitionAmended': {
        const data = event.data;
        if (data.changes.planOutcome !== undefined) await this.recordPlanOutcome(trx, kpiId, position, data.changes.planOutcome, at);
        await this.update(trx, kpiId, position, {
          ...descriptionColumns(data.changes),
          ...(data.underQualityAssuranceUntil !== undefined
            ? { under_qa_until: data.underQualityAssuranceUntil }
            : {}),
          updated_at: at,
        });
        return;
      }
      case 'KpiOwnershipChanged': {
        const data = event.data;
        await this.update(trx, kpiId, position, {
          owner: data.owner,
          key_contacts: JSON.stringify(data.keyContacts),
          updated_at: at,
        });
        return;
      }
      case 'KpiRetired': {
        const data = event.data;
        await this.update(trx, kpiId, position, {
          retired: 1,
          retired_reason: data.reason,
          retired_effective_from: data.effectiveFrom,
          updated_at: at,
        });
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
        const before: KpiYearTargets | undefined = current
          ? (current.targets === null ? { policy: JSON.parse(current.policy), periods: {} } : JSON.parse(current.targets))
          : undefined;
        const targets = withTargetSet(before, data);
        const values = {
          policy: JSON.stringify(targets.policy),
          targets: JSON.stringify(targets),
          set_by: event.metadata.actor,
          set_at: at,
          last_position: position,
        };
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
