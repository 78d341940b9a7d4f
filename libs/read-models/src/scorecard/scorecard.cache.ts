import { localDateOf } from '@quarterly/calendar';
import { Kysely } from 'kysely';
import { DbInteger, ReadModelSchema } from '../database/read-model-schema';
import { deepFreeze } from '../shared/deep-freeze';
import { CycleStamp, RegisterStamp } from './cycle-history.cache';

/**
 * Scorecards kept by the state of the rows they are computed from, so that asking again for a
 * scorecard whose figures have not moved (a closed quarter, every councillor opening the same
 * page) costs one statement of index look-ups instead of folding 500 KPIs' histories. A scorecard
 * that is not kept is computed from its cycles' rows kept in memory (`cycle-history.cache.ts`, by
 * the same statement's positions), so neither reads the five cycles' rows from the database again.
 *
 * A scorecard "as at" T reads only rows recorded at or before T, and T's date in Europe/London
 * (overdue or not yet due). So one computed at T0 is exactly the one at T1 when
 * - the rows it reads are the same (the {@link ScorecardInputs.fingerprint}: the highest
 *   position of each append-only input (by cycle where it is kept by cycle), and the versions
 *   and checkpoints of the projections that keep them),
 * - no row it reads was recorded after T0 or after T1 (`complete`), and
 * - T0 and T1 fall on the same London date;
 * only the `asAt` it states differs. Anything else (an "as at" before a later change) is computed
 * afresh. Read models are rebuilt from the same events to the same rows, so a rebuild does not
 * make a kept scorecard wrong; a projection version change is part of the fingerprint.
 *
 * INPUTS: a scorecard reads `history_returns`, `value_history`, `history_due_dates` (value-history
 * projection) and `history_kpi_targets`, `history_kpi_plan_outcomes` (kpi-register projection).
 * A new input must be added to {@link readScorecardInputs}, or be kept by a projection not listed
 * in {@link PRECISE_PROJECTIONS} (whose checkpoint is then part of the fingerprint by itself); the
 * rows it reads are kept by `cycle-history.cache.ts` up to the positions read here, so a new
 * append-only input is kept there the same way (or read by the scorecard directly).
 */
export interface ScorecardInputs {
  readonly fingerprint: string;
  /** True when no input row was recorded after the instant asked for. */
  readonly complete: boolean;
  /** How far each cycle's rows went, in the order asked for: what `keptCycleHistory` keeps. */
  readonly cycles: readonly CycleStamp[];
  /** How far the register's history went: what `keptRegisterHistory` keeps. */
  readonly register: RegisterStamp;
}

/**
 * Projections whose changes the fingerprint follows row by row (value-history by cycle,
 * kpi-register's history tables) or that feed no scorecard: only their versions are part of it.
 * Every other projection's checkpoint position is, which keeps inputs added later by a new
 * projection safe (if recomputed more often than needed).
 */
const PRECISE_PROJECTIONS = ['value-history', 'kpi-register', 'status-board', 'people-directory', 'audit-log'];

/** Kept scorecards per database, each cycle and grouping at most once. */
const MAX_KEPT = 32;

interface Kept<T> {
  readonly fingerprint: string;
  readonly localDate: string;
  readonly value: T;
}

/** A kept result of the same rows (fingerprint), computed as at an instant on `localDate` after all of them. */
export interface KeptComputation<T> {
  readonly localDate: string;
  readonly value: T;
}

const kept = new WeakMap<object, Map<string, Kept<unknown>>>();

/** Computations under way, by key and state: callers asking at once for the same scorecard share one. */
const underWay = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * The state of the rows a scorecard of `cycles[0]` (compared with `cycles.slice(1)`) reads, as at
 * `asAt`: one statement of index seeks (`max(position)` on `(cycle_id, position)`, "anything
 * recorded later" on `(cycle_id, recorded_at)`), plus scans of the two small register tables.
 */
export async function readScorecardInputs(
  db: Kysely<ReadModelSchema>,
  cycles: readonly string[],
  asAt: string,
): Promise<ScorecardInputs> {
  const [row, checkpoints] = await Promise.all([
    db
      .selectNoFrom((eb) => [
        ...cycles.flatMap((cycle, i) => [
          eb.selectFrom('value_history').select((s) => s.fn.max('position').as('p')).where('cycle_id', '=', cycle).as(`vh${i}`),
          eb.selectFrom('history_due_dates').select((s) => s.fn.max('position').as('p')).where('cycle_id', '=', cycle).as(`dd${i}`),
          eb.exists(eb.selectFrom('value_history').select('cycle_id').where('cycle_id', '=', cycle).where('recorded_at', '>', asAt)).as(`vl${i}`),
          eb.exists(eb.selectFrom('history_due_dates').select('cycle_id').where('cycle_id', '=', cycle).where('recorded_at', '>', asAt)).as(`dl${i}`),
        ]),
        // The register's history tables are small (KPIs × years × changes): scanned.
        eb.selectFrom('history_kpi_targets').select((s) => s.fn.max('position').as('p')).as('tp'),
        eb.selectFrom('history_kpi_plan_outcomes').select((s) => s.fn.max('position').as('p')).as('op'),
        eb.exists(eb.selectFrom('history_kpi_targets').select('kpi_id').where('recorded_at', '>', asAt)).as('tl'),
        eb.exists(eb.selectFrom('history_kpi_plan_outcomes').select('kpi_id').where('recorded_at', '>', asAt)).as('ol'),
      ])
      .executeTakeFirstOrThrow(),
    db.selectFrom('projection_checkpoints').select(['name', 'version', 'position']).orderBy('name').execute(),
  ]);
  const values = row as Record<string, unknown>;
  const parts: string[] = cycles.map((cycle, i) => `${cycle}:${String(values[`vh${i}`] ?? '-')}:${String(values[`dd${i}`] ?? '-')}`);
  parts.push(`register:${String(values['tp'] ?? '-')}:${String(values['op'] ?? '-')}`);
  for (const checkpoint of checkpoints) {
    const precise = PRECISE_PROJECTIONS.includes(checkpoint.name);
    parts.push(`${checkpoint.name}@${String(checkpoint.version)}${precise ? '' : `:${String(checkpoint.position)}`}`);
  }
  // `exists` is 0/1 (SQLite, as bigint here) or a boolean (PostgreSQL).
  const later = Object.entries(values).some(([name, value]) => /^(vl|dl|tl|ol)/.test(name) && (value === true || Number(value) === 1));
  const version = String(checkpoints.find((c) => c.name === 'value-history')?.version ?? '-');
  const stamps = cycles.map((cycleId, i) => ({
    cycleId,
    valueHistory: (values[`vh${i}`] ?? null) as DbInteger | null,
    dueDates: (values[`dd${i}`] ?? null) as DbInteger | null,
    version,
  }));
  const register = {
    targets: (values['tp'] ?? null) as DbInteger | null,
    planOutcomes: (values['op'] ?? null) as DbInteger | null,
    version: String(checkpoints.find((c) => c.name === 'kpi-register')?.version ?? '-'),
  };
  return { fingerprint: parts.join('|'), complete: !later, cycles: stamps, register };
}

/**
 * The kept result of `compute` for `key` as at `asAt` when it is still exact (see the module's
 * contract), otherwise computes it, and keeps it when every input row was recorded by `asAt`.
 * `restate` gives the kept value the instant asked for.
 */
export async function keptScorecard<T extends { readonly asAt: string }>(
  db: Kysely<ReadModelSchema>,
  key: string,
  asAt: string,
  inputs: () => Promise<ScorecardInputs>,
  compute: (inputs: ScorecardInputs, kept?: KeptComputation<T>) => Promise<T>,
  restate: (value: T, asAt: string) => T,
): Promise<T> {
  let forDb = kept.get(db);
  if (!forDb) {
    forDb = new Map();
    kept.set(db, forDb);
  }
  const localDate = localDateOf(asAt);
  const state = await inputs();
  const entry = forDb.get(key) as Kept<T> | undefined;
  // Rows recorded after the instant: computed (from the kept rows of each cycle, and from the
  // kept result of the same rows where nothing changed after the instant), not kept.
  if (!state.complete) return compute(state, entry && entry.fingerprint === state.fingerprint ? entry : undefined);
  if (entry && entry.localDate === localDate && entry.fingerprint === state.fingerprint) {
    // Most recently used last, so the oldest is dropped first.
    forDb.delete(key);
    forDb.set(key, entry);
    return restate(entry.value, asAt);
  }
  // Joined computations were asked at other instants of the same date: each caller's own instant.
  const value = await shared(db, `${key}|${localDate}|${state.fingerprint}`, () => compute(state));
  forDb.delete(key);
  if (forDb.size >= MAX_KEPT) forDb.delete(forDb.keys().next().value!);
  forDb.set(key, { fingerprint: state.fingerprint, localDate, value });
  return value.asAt === asAt ? value : restate(value, asAt);
}

/** The computation under way for `computing` (joined), or a new one, frozen: its callers share it. */
async function shared<T>(db: object, computing: string, compute: () => Promise<T>): Promise<T> {
  let sharing = underWay.get(db);
  if (!sharing) {
    sharing = new Map();
    underWay.set(db, sharing);
  }
  const pending = sharing.get(computing) as Promise<T> | undefined;
  if (pending) return pending;
  const promise = compute().then(deepFreeze);
  sharing.set(computing, promise);
  try {
    return await promise;
  } finally {
    if (sharing.get(computing) === promise) sharing.delete(computing);
  }
}
