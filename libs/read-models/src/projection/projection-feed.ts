import type { DecodedEvent, EventCodec } from '@quarterly/event-codec';
import type { EventStore, EventSubscription, RecordedEvent } from '@quarterly/event-store/event-store.port';
import { Kysely } from 'kysely';
import type { ReadModelDatabase } from '../database/read-model-database';
import type { ReadModelSchema } from '../database/read-model-schema';
import { writeCheckpoint, writeCheckpoints } from './checkpoint.store';
import { Projection, projectionAccepts } from './projection';

/** A projection's runner as the feed sees it (implemented by `ProjectionRunner`). */
export interface FeedMember {
  readonly projection: Projection;
  /** The last position this member has applied; events at or before it are not handed to it again. */
  readonly position: bigint | undefined;
  /** True when the member's checkpoint should be stored even though the batch holds nothing for it. */
  checkpointDue(): boolean;
  /** The batch up to `position` is committed for this member (`stored`: with its checkpoint). */
  advance(position: bigint, stored: boolean): void;
  /** Applying failed for this member alone: it has already been detached from the feed. */
  fail(error: unknown): void;
}

/**
 * ONE ordered subscription to the store feeding several projections: each batch is read once,
 * decoded once, and applied to every member that wants some of it, with every member's
 * checkpoint, in ONE transaction. So a command's events cost one read and one commit in the read
 * models whatever the number of projections, instead of one per projection.
 *
 * Checkpoints stay per projection, so members may stand at different positions (a projection
 * stopped, restarted or rebuilt alone): the subscription runs from the lowest member's position,
 * and a member is handed only the events after its own. When members join (a start, a restart
 * after a failure, the end of a rebuild), the subscription is restarted from the lowest position,
 * so a member never misses the batch that was in flight as it joined.
 *
 * A failure inside the shared transaction rolls it back for every member; the batch is then
 * applied member by member, each in its own transaction, so that one failing projection is
 * detached (and retries from its checkpoint) while the others carry on.
 */
export class ProjectionFeed {
  private readonly members = new Set<FeedMember>();
  private subscription: EventSubscription | undefined;
  /** Membership changes run one after another. */
  private changes: Promise<void> = Promise.resolve();
  /** The batch being applied, if any (`leave` waits for it). */
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly database: ReadModelDatabase,
    private readonly codec: EventCodec,
    private readonly batchSize: number,
    private readonly clock: () => Date,
    /** The subscription itself ended with an error (not a member's apply): every member is detached and told. */
    private readonly onSubscriptionFailure: (members: readonly FeedMember[], error: unknown) => void,
  ) {}

  /** Adds members (at their `position`) and restarts the subscription from the lowest position. */
  join(members: readonly FeedMember[]): Promise<void> {
    return this.serialise(async () => {
      await this.unsubscribe();
      for (const member of members) this.members.add(member);
      this.subscribe();
    });
  }

  /** Removes a member; once this resolves, no batch is applied to it any more. */
  leave(member: FeedMember): Promise<void> {
    this.members.delete(member);
    return this.serialise(async () => {
      // Again: a join queued before this leave may have added it back.
      this.members.delete(member);
      if (this.members.size === 0) await this.unsubscribe();
      else await this.inFlight;
    });
  }

  /** Removes a member from inside a batch (a failure), without waiting for the batch. */
  detach(member: FeedMember): void {
    this.members.delete(member);
  }

  private serialise(change: () => Promise<void>): Promise<void> {
    const next = this.changes.then(change);
    this.changes = next.catch(() => undefined);
    return next;
  }

  private subscribe(): void {
    if (this.members.size === 0) return;
    let from: bigint | undefined;
    let fromStart = false;
    for (const member of this.members) {
      if (member.position === undefined) fromStart = true;
      else if (from === undefined || member.position < from) from = member.position;
    }
    const after = fromStart ? undefined : from;
    const subscription = this.store.subscribeToAll(
      { ...(after !== undefined ? { after } : {}), batchSize: this.batchSize },
      (events) => {
        const work = this.handle(events);
        this.inFlight = work;
        return work;
      },
    );
    this.subscription = subscription;
    subscription.done.then(
      () => undefined,
      (error: unknown) => {
        if (this.subscription !== subscription) return;
        this.subscription = undefined;
        const failed = [...this.members];
        this.members.clear();
        this.onSubscriptionFailure(failed, error);
      },
    );
  }

  private async unsubscribe(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    if (subscription) {
      await subscription.stop();
      await subscription.done.catch(() => undefined);
    }
  }

  private async handle(events: readonly RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1];
    if (last === undefined) return;
    const members = [...this.members];
    const decoded = new LazyDecodedBatch(this.codec, events);
    const writes: Array<{ member: FeedMember; events: DecodedEvent[] | Error }> = [];
    for (const member of members) {
      const relevant = decoded.for(member.projection, member.position);
      if ((relevant instanceof Error || relevant.length > 0) || member.checkpointDue()) writes.push({ member, events: relevant });
    }
    // A transaction is committed anyway: every member's checkpoint goes into it, so the stored
    // checkpoints are exact for an instance that waits on them (a stand-by API, read-your-writes).
    if (writes.length > 0) {
      for (const member of members) if (!writes.some((w) => w.member === member)) writes.push({ member, events: [] });
    }
    const skipped = members.filter((member) => !writes.some((w) => w.member === member));
    if (writes.length > 0) {
      const updatedAt = this.clock().toISOString();
      try {
        await this.database.db.transaction().execute(async (trx) => {
          for (const { member, events: relevant } of writes) {
            if (relevant instanceof Error) throw relevant;
            await applyEvents(trx, member.projection, relevant);
          }
          // Every member's checkpoint in one statement (five projections: one round trip, not five).
          await writeCheckpoints(
            trx,
            writes.map(({ member }) => ({ name: member.projection.name, checkpoint: { version: member.projection.version, position: last.position } })),
            updatedAt,
          );
        });
        for (const { member } of writes) member.advance(last.position, true);
      } catch {
        // Someone's apply (or the database) failed: find out whose, one transaction each.
        for (const { member, events: relevant } of writes) {
          try {
            if (relevant instanceof Error) throw relevant;
            await this.database.db.transaction().execute((trx) => applyTo(trx, member.projection, relevant, last.position, updatedAt));
            member.advance(last.position, true);
          } catch (error) {
            this.detach(member);
            member.fail(error);
          }
        }
      }
    }
    // Nothing for these: they move on in memory (their checkpoint follows within a second).
    for (const member of skipped) if (this.members.has(member)) member.advance(last.position, false);
  }
}

/** Applies a projection's events and writes its checkpoint (inside the caller's transaction). */
export async function applyTo(
  trx: Kysely<ReadModelSchema>,
  projection: Projection,
  events: readonly DecodedEvent[],
  position: bigint,
  updatedAt: string,
): Promise<void> {
  await applyEvents(trx, projection, events);
  await writeCheckpoint(trx, projection.name, { version: projection.version, position }, updatedAt);
}

/** Applies a projection's events, without its checkpoint (inside the caller's transaction). */
async function applyEvents(trx: Kysely<ReadModelSchema>, projection: Projection, events: readonly DecodedEvent[]): Promise<void> {
  if (projection.applyBatch) {
    if (events.length > 0) await projection.applyBatch(trx, events);
  } else {
    for (const event of events) await projection.apply(trx, event);
  }
}

/**
 * A batch decoded once for all projections, each event only when some projection wants it (so an
 * event no one reads cannot fail anyone); an event that fails to decode fails only the
 * projections that want it.
 */
class LazyDecodedBatch {
  private readonly decoded: Array<DecodedEvent | Error | undefined>;
  constructor(
    private readonly codec: EventCodec,
    private readonly events: readonly RecordedEvent[],
  ) {
    this.decoded = new Array(events.length);
  }

  /** The events after `after` that `projection` wants, decoded; the first decoding error instead, if any. */
  for(projection: Projection, after: bigint | undefined): DecodedEvent[] | Error {
    const out: DecodedEvent[] = [];
    for (let i = 0; i < this.events.length; i += 1) {
      const event = this.events[i]!;
      if (after !== undefined && event.position <= after) continue;
      if (!projectionAccepts(projection, event)) continue;
      let decoded = this.decoded[i];
      if (decoded === undefined) {
        try {
          decoded = this.codec.decode(event);
        } catch (error) {
          decoded = error instanceof Error ? error : new Error(String(error));
        }
        this.decoded[i] = decoded;
      }
      if (decoded instanceof Error) return decoded;
      out.push(decoded);
    }
    return out;
  }
}
