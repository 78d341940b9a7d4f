import {
  KpiNotFoundError,
  kpiDecider,
  kpiStreamId,
  rateFigure,
  ratingFinancialYearOf,
  returnDecider,
  returnStreamId,
  targetsInForce,
  type DecimalString,
  type KpiRecord,
  type PeriodId,
  type Rating,
  type ReturnEvent,
  type ReturnRecord,
  type SubmissionKpiContext,
} from '@quarterly/domain';
import type { DecodedEvent } from '@quarterly/event-codec';
import type { EventSourcedCommandExecutor } from '@quarterly/platform/commands/event-sourced-command-executor';
import { PreviousFigureReader } from './previous-figure.reader';
import { ReturnNotFoundError } from './return-errors';

/** A return and its KPI as they stand, read from their streams. */
export interface ReturnOnRecord {
  readonly kpi: KpiRecord;
  readonly record: ReturnRecord;
  /** The return stream as read and decoded: a command is decided on exactly this (a change since is a conflict). */
  readonly events: ReadonlyArray<ReturnEvent & DecodedEvent>;
  /** The return stream's revision: its version and ETag, what a reviewer sends back as If-Match. */
  readonly revision: bigint | null;
}

/**
 * Reads what a decision on a return needs: the KPI's stream (whose target policy for the return's
 * financial year rates a figure, and whose owner and directorate say who may act) and the return's
 * own stream; for a direction-only target, the previous approved figure.
 */
export class ReturnOnRecordReader {
  private readonly previousFigures: PreviousFigureReader;

  constructor(private readonly executor: EventSourcedCommandExecutor) {
    this.previousFigures = new PreviousFigureReader(executor);
  }

  /** Throws {@link KpiNotFoundError} or {@link ReturnNotFoundError} (404) when either is missing. */
  async load(kpiId: string, periodId: PeriodId): Promise<ReturnOnRecord> {
    const [{ state: kpiState }, { state, events, revision }] = await Promise.all([
      this.executor.load(kpiStreamId(kpiId), kpiDecider),
      this.executor.load(returnStreamId(kpiId, periodId), returnDecider),
    ]);
    if (kpiState.status === 'not_defined') throw new KpiNotFoundError(kpiId);
    if (state.status === 'not_requested') throw new ReturnNotFoundError(kpiId, periodId);
    return { kpi: kpiState.kpi, record: state, events, revision };
  }

  /**
   * What rating a figure needs from the KPI: the targets in force for the return's period
   * (`targetsInForce`: a period's policy over the year's, the rated figure and last-year basis the
   * year states), quality assurance, and (for a direction-only target) the previous approved figure.
   */
  async figureContext({ kpi, record }: Pick<ReturnOnRecord, 'kpi' | 'record'>): Promise<SubmissionKpiContext> {
    const yearTargets = kpi.targets[ratingFinancialYearOf(record.request)] ?? null;
    const inForce = targetsInForce(yearTargets, record.request.periodCovered, record.request.kpi.measureType);
    const { policy } = inForce;
    return {
      policy,
      underQualityAssuranceUntil: kpi.underQualityAssuranceUntil,
      ...(inForce.period === undefined ? {} : { period: inForce.period }),
      ...(yearTargets?.ratedFigure === undefined ? {} : { ratedFigure: yearTargets.ratedFigure }),
      ...(yearTargets?.lastYearBasis === undefined ? {} : { lastYearBasis: yearTargets.lastYearBasis }),
      // Only a direction-only target compares with the previous figure when rating.
      ...(policy?.kind === 'direction' ? { previousValue: await this.previousFigures.previousApprovedValue(kpi, record.request.periodCovered) } : {}),
    };
  }

  /** The rating a figure would get if it were reported now, exactly as the decider will rate it. */
  async rate(onRecord: Pick<ReturnOnRecord, 'kpi' | 'record'>, value: DecimalString | null): Promise<Rating> {
    return rateFigure(value, await this.figureContext(onRecord), onRecord.record);
  }
}
