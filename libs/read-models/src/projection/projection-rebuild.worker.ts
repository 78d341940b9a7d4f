import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { eventCodec } from '@quarterly/event-codec';
import type { EventStore } from '@quarterly/event-store/event-store.port';
import { allProjections } from '../all-projections';
import type { RowStatement } from '../database/row-batch.writer';
import { projectionAccepts, type Projection, type RebuildFold } from './projection';
import { isRebuildWorkerData, type RebuildWorkerData, type RebuildWorkerReply, type RebuildWorkerRequest } from './projection-rebuild-pages';
import { openRebuildLogSource } from './rebuild-log-source';

/**
 * The worker thread of a rebuild (`rebuildProjectionSet` with `worker`): reads the log on its own
 * connection, decodes each page through the engine's codec, folds it for every projection it
 * knows a fold of (`Projection.rebuildFold`, the engine's own projections matched by name and
 * version), and hands the main thread, one page ahead, only what it must write: each folded
 * projection's statements, and the decoded events the other projections want.
 *
 * True when this thread is such a worker (it then serves until told to close). This file calls it
 * when it is loaded, so it is the worker's entry as it stands (`.ts` under a TypeScript loader, or
 * compiled), and so is a bundle made of it (the built CLI's `projection-rebuild.worker.js`).
 */
export function serveProjectionRebuildWorker(): boolean {
  if (isMainThread || parentPort === null || !isRebuildWorkerData(workerData)) return false;
  if (serving) return true;
  serving = true;
  const port = parentPort;
  const data = workerData;
  const reply = (message: RebuildWorkerReply) => port.postMessage(message);
  // The state once started: its connection is closed however the pages went.
  let opened: WorkerState | undefined;
  let work: Promise<unknown> = start(data).then(
    (state) => {
      opened = state;
      reply({ kind: 'ready', folded: [...state.folds.keys()] });
    },
    (error: unknown) => {
      reply({ kind: 'failed', error: asError(error) });
      throw error;
    },
  );
  work.catch(() => undefined); // told to the main thread above
  port.on('message', (request: RebuildWorkerRequest) => {
    if (request.kind === 'close') {
      work = work.catch(() => undefined).then(async () => {
        await opened?.store.close();
        port.close();
      });
      return;
    }
    // Pages are read and folded one after another, in the order asked for; nothing after a
    // failed one (the rebuild ends).
    work = work.then(async () => {
      try {
        reply(await nextPage(opened!));
      } catch (error) {
        reply({ kind: 'failed', error: asError(error) });
        throw error;
      }
    });
    work.catch(() => undefined);
  });
  return true;
}

/** Set once this thread serves (a second call changes nothing). */
let serving = false;

interface WorkerState {
  readonly store: EventStore;
  readonly batchSize: number;
  readonly folds: Map<string, { projection: Projection; fold: RebuildFold }>;
  /** The types the main thread's own projections want; undefined: every event. */
  readonly forwarded: ReadonlySet<string> | undefined;
  after: bigint | undefined;
}

async function start(data: RebuildWorkerData): Promise<WorkerState> {
  const known = new Map(allProjections().map((projection) => [projection.name, projection]));
  const folds = new Map<string, { projection: Projection; fold: RebuildFold }>();
  const forwarded = new Set<string>();
  let forwardAll = false;
  for (const wanted of data.projections) {
    const projection = known.get(wanted.name);
    if (wanted.fold && projection?.rebuildFold && projection.version === wanted.version) {
      folds.set(wanted.name, { projection, fold: projection.rebuildFold(data.dialect) });
    } else if (wanted.eventTypes === null) {
      forwardAll = true;
    } else {
      for (const type of wanted.eventTypes) forwarded.add(type);
    }
  }
  const store = await openRebuildLogSource(data.source);
  return { store, batchSize: data.batchSize, folds, forwarded: forwardAll ? undefined : forwarded, after: undefined };
}

async function nextPage(state: WorkerState): Promise<RebuildWorkerReply> {
  const events = await state.store.readAll({ ...(state.after !== undefined ? { after: state.after } : {}), limit: state.batchSize });
  const last = events[events.length - 1];
  if (last === undefined) return { kind: 'end' };
  state.after = last.position;
  const decoded = eventCodec.decodeAll(events);
  const statements: Array<[string, RowStatement[]]> = [];
  for (const [name, { projection, fold }] of state.folds) {
    statements.push([name, await fold.fold(decoded.filter((event) => projectionAccepts(projection, event)))]);
  }
  const { forwarded } = state;
  return {
    kind: 'page',
    last: last.position,
    count: events.length,
    statements,
    events: forwarded === undefined ? decoded : forwarded.size === 0 ? [] : decoded.filter((event) => forwarded.has(event.type)),
  };
}

/** A plain Error with the message and stack, which always crosses to the main thread (structured clone). */
function asError(error: unknown): Error {
  const copy = new Error(error instanceof Error ? error.message : String(error));
  if (error instanceof Error) {
    copy.name = error.name;
    if (error.stack !== undefined) copy.stack = error.stack;
  }
  return copy;
}

// Started as a worker's entry file: serve.
serveProjectionRebuildWorker();
