import { randomUUID } from 'node:crypto';
import { personDecider, personStreamId, type Role } from '@quarterly/domain';
import type { EventSourcedCommandExecutor } from '@quarterly/platform';

export interface DirectoryEntry {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly directorate?: string;
  readonly name?: string;
  readonly email?: string;
}

/**
 * Puts a person in the directory unless it already holds them (the API authorises only people it
 * knows, with the roles the directory gives them; a person already there keeps what the directory
 * says). Written through the person decider, as the performance team would through
 * `POST /people`, by a setup actor.
 */
export async function ensureInDirectory(executor: EventSourcedCommandExecutor, entry: DirectoryEntry, now: string): Promise<void> {
  const streamId = personStreamId(entry.id);
  const context = { actor: 'test.setup', roles: ['performance-team'] as Role[], now };
  const envelope = { actor: 'test.setup', now, correlationId: randomUUID(), causationId: randomUUID() };
  const { state } = await executor.load(streamId, personDecider);
  if (state.status === 'not_registered') {
    const data = {
      name: entry.name ?? `Test ${entry.id}`,
      email: entry.email ?? `${entry.id}@council.example`,
      roles: entry.roles,
      ...(entry.directorate ? { directorate: entry.directorate } : {}),
    };
    await executor.execute({ streamId, decider: personDecider, command: { type: 'RegisterPerson', personId: entry.id, data, context }, envelope });
    return;
  }
}
