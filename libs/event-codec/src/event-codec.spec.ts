import type { RecordedEvent } from '@quarterly/event-store';
import { EventCodec, UnknownEventTypeError, UnknownSchemaVersionError, eventCodec } from './event-codec';

function stored(type: string, schemaVersion: number, data: unknown): RecordedEvent {
  return {
    id: `${type}-${schemaVersion}`,
    type,
    schemaVersion,
    data,
    metadata: { actor: 'user:a', correlationId: 'c', causationId: 'c', recordedAt: '2026-07-01T09:00:00.000Z' },
    streamId: 'person-a',
    revision: 0n,
    position: 1n,
  };
}

describe('EventCodec', () => {
  const codec = new EventCodec({
    currentVersions: { PersonRegistered: 3 },
    upcasters: {
      PersonRegistered: {
        1: (data) => ({ ...(data as object), roles: (data as { role: string }).role.split(',') }),
        2: (data) => {
          const { fullName, ...rest } = data as { fullName: string };
          return { ...rest, name: fullName };
        },
      },
    },
  });

  it('upcasts through every version in order and tags the event with the current one', () => {
    const decoded = codec.decode(stored('PersonRegistered', 1, { personId: 'a', fullName: 'A B', email: 'a@x', role: 'member,auditor' }));
    expect(decoded).toMatchObject({ schemaVersion: 3, data: { personId: 'a', name: 'A B', email: 'a@x', roles: ['member', 'auditor'] } });
    expect(decoded.data).not.toHaveProperty('fullName');
  });

  it('hands an event at the current version over unchanged', () => {
    const event = stored('PersonDeactivated', 1, { reason: 'left' });
    expect(codec.decode(event)).toBe(event);
  });

  it('refuses a version newer than it knows, and a type it does not know', () => {
    expect(() => codec.decode(stored('PersonRegistered', 4, {}))).toThrow(UnknownSchemaVersionError);
    expect(() => eventCodec.decode(stored('PersonRegistered', 2, {}))).toThrow(/v2 is newer than this engine understands \(v1\)/);
    expect(() => codec.decode(stored('PersonTeleported', 1, {}))).toThrow(UnknownEventTypeError);
  });

  it('refuses a gap in the upcasters rather than handing over a shape it cannot vouch for', () => {
    const gappy = new EventCodec({ currentVersions: { PersonRegistered: 3 }, upcasters: { PersonRegistered: { 2: (data) => data } } });
    expect(() => gappy.decode(stored('PersonRegistered', 1, {}))).toThrow(UnknownSchemaVersionError);
  });

  it('decodes only the wanted types, in order, leaving the others undecoded', () => {
    const events = [stored('PersonDeactivated', 1, { reason: 'x' }), stored('PersonTeleported', 9, {}), stored('PersonDeactivated', 1, { reason: 'y' })];
    expect(codec.decodeOnly(['PersonDeactivated'], events).map((event) => event.data.reason)).toEqual(['x', 'y']);
  });

  it('writes new events at the current version', () => {
    expect(codec.schemaVersionOf('PersonRegistered')).toBe(3);
    expect(codec.schemaVersionOf('KpiDefined')).toBe(1);
  });
});
