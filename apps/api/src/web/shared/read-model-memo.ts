import { Injectable } from '@nestjs/common';
import { localDateOf } from '@quarterly/calendar';
import type { ReadModelSchema } from '@quarterly/read-models';
import type { Kysely } from 'kysely';

/** How many answers are kept: a few quarters' scorecards, "now" and a few "as at"s each. */
const CAPACITY = 64;

/**
 * Answers the pages compute from the read models (small multiples, rendered tables, charts),
 * kept while the read models cannot have changed them. Scorecards themselves are kept by the
 * read models (`getScorecard`: by the rows they read, not by every projection's checkpoint), and
 * KPI histories likewise (`getValueHistory`), so the pages do not keep them a second time.
 *
 * Every answer is keyed by the projections' checkpoints (name, version, position): an event
 * applied by any projection, a rebuild or a new projection version changes the key, so an
 * answer is never served after what it was computed from changed. An answer "as at" a given
 * instant depends only on rows recorded by then. An answer "as at now" also depends on the
 * London date (a return becomes overdue at midnight), so its key holds the date instead of the
 * instant: between two events and within one day, "now" reads the same rows.
 *
 * Per process, at most {@link CAPACITY} answers, least recently used first out; answers are
 * shared between requests, so callers must not mutate them.
 */
@Injectable()
export class ReadModelMemo {
  private readonly entries = new Map<string, unknown>();

  /**
   * The answer for `key` "as at" `asAt` (or as at now, `asAtIsNow`), computed by `compute` when
   * not kept for the read models' current state.
   */
  async remember<T>(db: Kysely<ReadModelSchema>, key: string, asAt: { readonly instant: string; readonly isNow: boolean }, compute: () => Promise<T>): Promise<T> {
    const state = await checkpointsOf(db);
    const full = `${key}|${asAt.isNow ? `now:${localDateOf(asAt.instant)}` : asAt.instant}|${state}`;
    if (this.entries.has(full)) {
      const kept = this.entries.get(full) as T;
      this.entries.delete(full);
      this.entries.set(full, kept);
      return kept;
    }
    const answer = await compute();
    this.entries.set(full, answer);
    if (this.entries.size > CAPACITY) this.entries.delete(this.entries.keys().next().value!);
    return answer;
  }
}

async function checkpointsOf(db: Kysely<ReadModelSchema>): Promise<string> {
  const rows = await db.selectFrom('projection_checkpoints').select(['name', 'version', 'position']).orderBy('name').execute();
  return rows.map((r) => `${r.name}@${String(r.version)}:${String(r.position)}`).join(',');
}
