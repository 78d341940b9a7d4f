import { parseStreamSafePeriodId, PeriodId } from '@quarterly/domain';

/** What a stream id says about the KPI, cycle and return its events belong to. */
export interface StreamRefs {
  readonly kpiId: string | null;
  readonly cycleId: PeriodId | null;
  readonly returnId: string | null;
}

const RETURN_STREAM = /^return-(.+)-(\d{4}-\d{2}-Q[1-4])$/;
const CYCLE_STREAM = /^cycle-(\d{4}-\d{2}-Q[1-4])$/;
const KPI_STREAM = /^kpi-(.+)$/;

/**
 * Reads the ids out of a stream id (`kpi-<kpiId>`, `cycle-<2024-25-Q2>`,
 * `return-<kpiId>-<2024-25-Q2>`); events after the first of a return stream do not repeat them.
 * The answers for the streams seen last are remembered (every projection asks for each event,
 * and a return's events come close together): a look-up instead of three regular expressions
 * and a period parse.
 */
export function streamRefsOf(streamId: string): StreamRefs {
  const known = REMEMBERED.get(streamId);
  if (known !== undefined) return known;
  const refs = readStreamRefs(streamId);
  if (REMEMBERED.size >= REMEMBERED_LIMIT) REMEMBERED.clear();
  REMEMBERED.set(streamId, refs);
  return refs;
}

/** Stream ids whose refs are remembered, at most {@link REMEMBERED_LIMIT} (then forgotten at once). */
const REMEMBERED = new Map<string, StreamRefs>();
const REMEMBERED_LIMIT = 10_000;

function readStreamRefs(streamId: string): StreamRefs {
  const ret = RETURN_STREAM.exec(streamId);
  if (ret) {
    const cycleId = parseStreamSafePeriodId(ret[2]!);
    return { kpiId: ret[1]!, cycleId, returnId: `${ret[1]!}:${cycleId}` };
  }
  const cycle = CYCLE_STREAM.exec(streamId);
  if (cycle) return { kpiId: null, cycleId: parseStreamSafePeriodId(cycle[1]!), returnId: null };
  const kpi = KPI_STREAM.exec(streamId);
  if (kpi) return { kpiId: kpi[1]!, cycleId: null, returnId: null };
  return { kpiId: null, cycleId: null, returnId: null };
}

/** A return stream id whose ids cannot be read. */
export class UnrecognisedStreamError extends Error {
  override readonly name = 'UnrecognisedStreamError';
  constructor(readonly streamId: string, readonly expected: string) {
    super(`stream ${streamId} is not a ${expected} stream`);
  }
}

/** The return id of a return stream; throws {@link UnrecognisedStreamError} otherwise. */
export function returnIdOfStream(streamId: string): { returnId: string; kpiId: string; cycleId: PeriodId } {
  const refs = streamRefsOf(streamId);
  if (refs.returnId === null || refs.kpiId === null || refs.cycleId === null) {
    throw new UnrecognisedStreamError(streamId, 'return');
  }
  return { returnId: refs.returnId, kpiId: refs.kpiId, cycleId: refs.cycleId };
}
