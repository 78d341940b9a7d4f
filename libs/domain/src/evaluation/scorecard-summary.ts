/**
 * The summary at the top of a quarterly scorecard: how many KPIs with targets met them, how
 * they moved, and the directorates' red/amber/green counts. Pure arithmetic over rated rows.
 */
import Decimal from 'decimal.js';
import { isOnTarget, RatingStatus } from '../shared/rating.types';
import type { Direction } from './direction-of-travel';

/** One KPI on the scorecard, already rated and compared. */
export interface ScorecardRow {
  readonly kpiId: string;
  readonly directorate: string;
  /** The figure's status; null when it has none (no target, tracker, not available…). */
  readonly status: RatingStatus | null;
  readonly directionVsPrevious: Direction | null;
  readonly directionVsLastYear: Direction | null;
}

export interface DirectionCounts {
  readonly improving: number;
  readonly declining: number;
  readonly no_change: number;
  /** Movements of KPIs without polarity. */
  readonly higher: number;
  readonly lower: number;
  readonly same: number;
  /** No comparable figure. */
  readonly not_comparable: number;
}

export interface CrossTableRow {
  readonly better: number;
  readonly same: number;
  readonly worse: number;
  readonly not_comparable: number;
}

/** KPIs with a status, by whether they met their target and how they moved. */
export interface CrossTable {
  readonly met: CrossTableRow;
  readonly not_met: CrossTableRow;
}

export interface StatusCounts {
  readonly green: number;
  readonly amber: number;
  readonly red: number;
  readonly met: number;
  readonly not_met: number;
  readonly no_status: number;
}

export interface DirectorateCounts extends StatusCounts {
  readonly directorate: string;
}

export interface ScorecardSummary {
  readonly total: number;
  /** KPIs whose figure was rated against a target (any status). */
  readonly withTargets: number;
  /** Of those, rated green or met. */
  readonly metTarget: number;
  /** metTarget / withTargets as a percentage with one decimal place, null when none had targets. */
  readonly percentMetTarget: string | null;
  readonly statusCounts: StatusCounts;
  readonly directionVsPrevious: DirectionCounts;
  readonly directionVsLastYear: DirectionCounts;
  readonly crossTableVsPrevious: CrossTable;
  readonly crossTableVsLastYear: CrossTable;
  /** Sorted by directorate name. */
  readonly byDirectorate: readonly DirectorateCounts[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const emptyStatusCounts = (): Mutable<StatusCounts> => ({ green: 0, amber: 0, red: 0, met: 0, not_met: 0, no_status: 0 });
const emptyDirectionCounts = (): Mutable<DirectionCounts> => ({
  improving: 0,
  declining: 0,
  no_change: 0,
  higher: 0,
  lower: 0,
  same: 0,
  not_comparable: 0,
});
const emptyCrossTable = (): { met: Mutable<CrossTableRow>; not_met: Mutable<CrossTableRow> } => ({
  met: { better: 0, same: 0, worse: 0, not_comparable: 0 },
  not_met: { better: 0, same: 0, worse: 0, not_comparable: 0 },
});

function crossColumn(direction: Direction | null): keyof CrossTableRow {
  switch (direction) {
    case 'improving':
      return 'better';
    case 'declining':
      return 'worse';
    case 'no_change':
      return 'same';
    default:
      // Without polarity a movement is neither better nor worse.
      return 'not_comparable';
  }
}

export function summariseScorecard(rows: readonly ScorecardRow[]): ScorecardSummary {
  const statusCounts = emptyStatusCounts();
  const directionVsPrevious = emptyDirectionCounts();
  const directionVsLastYear = emptyDirectionCounts();
  const crossTableVsPrevious = emptyCrossTable();
  const crossTableVsLastYear = emptyCrossTable();
  const byDirectorate = new Map<string, Mutable<StatusCounts>>();
  let withTargets = 0;
  let metTarget = 0;

  for (const row of rows) {
    const statusKey = row.status ?? 'no_status';
    statusCounts[statusKey] += 1;
    const directorate = byDirectorate.get(row.directorate) ?? emptyStatusCounts();
    directorate[statusKey] += 1;
    byDirectorate.set(row.directorate, directorate);
    directionVsPrevious[row.directionVsPrevious ?? 'not_comparable'] += 1;
    directionVsLastYear[row.directionVsLastYear ?? 'not_comparable'] += 1;

    if (row.status !== null) {
      withTargets += 1;
      const met = isOnTarget(row.status);
      if (met) metTarget += 1;
      const line = met ? 'met' : 'not_met';
      crossTableVsPrevious[line][crossColumn(row.directionVsPrevious)] += 1;
      crossTableVsLastYear[line][crossColumn(row.directionVsLastYear)] += 1;
    }
  }

  return {
    total: rows.length,
    withTargets,
    metTarget,
    percentMetTarget:
      withTargets === 0 ? null : new Decimal(metTarget).times(100).dividedBy(withTargets).toFixed(1, Decimal.ROUND_HALF_UP),
    statusCounts,
    directionVsPrevious,
    directionVsLastYear,
    crossTableVsPrevious,
    crossTableVsLastYear,
    byDirectorate: [...byDirectorate.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, counts]) => ({ directorate: name, ...counts })),
  };
}
