import { Kysely } from 'kysely';
import { ReadModelSchema } from '../database/read-model-schema';
import { getScorecard, Scorecard, ScorecardEntry } from '../scorecard/scorecard.queries';

/**
 * Why a KPI is a highlight item:
 * - `red`: rated red (or not met) this quarter;
 * - `status_changed`: its status differs from the previous comparable period's.
 */
export type ExceptionReason = 'red' | 'status_changed';

export interface ExceptionItem {
  readonly entry: ScorecardEntry;
  readonly reasons: readonly ExceptionReason[];
}

/**
 * The "highlight items" of a quarter as at an instant: KPIs with an approved figure that is red
 * (or not met), or whose status moved since the previous comparable period, with their
 * commentary (carried on the scorecard entry). In scorecard order.
 */
export async function getExceptions(
  db: Kysely<ReadModelSchema>,
  cycleId: string,
  options: { readonly asAt?: Date | string } = {},
): Promise<ExceptionItem[]> {
  return highlightItemsOf(await getScorecard(db, cycleId, options.asAt !== undefined ? { asAt: options.asAt } : {}));
}

/** The highlight items of a scorecard already computed (the scorecard page shows both). */
export function highlightItemsOf(scorecard: Scorecard): ExceptionItem[] {
  const items: ExceptionItem[] = [];
  for (const entry of scorecard.entries) {
    if (entry.value === null) continue;
    const reasons: ExceptionReason[] = [];
    if (entry.status === 'red' || entry.status === 'not_met') reasons.push('red');
    if (entry.previous?.status && entry.status && entry.previous.status !== entry.status) {
      reasons.push('status_changed');
    }
    if (reasons.length > 0) items.push({ entry, reasons });
  }
  return items;
}
