import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../event-store.port';
import { canonicalJson } from './canonical-json';
import { GENESIS_HASH, hashEvent } from './event-hash';
import { merkleLeaf, merkleRoot } from './merkle-root';

const event: RecordedEvent = {
  id: '7c1f3a52-9a4e-4d0b-8e51-0d9d7f3f2a10',
  type: 'ReturnSubmitted',
  schemaVersion: 1,
  data: { value: '72.5', monthlyValues: [{ month: '2026-04', value: '1.5' }], commentary: 'On plan — “quoted”, \u00e9' },
  metadata: { actor: 'user:alice', correlationId: 'c-1', causationId: 'c-1', recordedAt: '2026-07-10T09:30:00.000Z' },
  streamId: 'return-ASC-01-2026-27-Q1',
  revision: 3n,
  position: 99n,
};

describe('canonical JSON', () => {
  it('is the same text whatever order the keys were stored in, and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }], e: undefined })).toBe('{"a":[{"c":"x","d":null}],"b":1}');
    expect(canonicalJson({ a: [{ c: 'x', d: null }], b: 1 })).toBe(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }] }));
  });
});

describe('hashEvent', () => {
  it('is SHA-256 over the documented canonical array, which an auditor can recompute by hand', () => {
    const { integrity: _none, ...metadata } = event.metadata;
    const text = canonicalJson(['quarterly-event-v1', GENESIS_HASH, event.streamId, '3', event.id, event.type, 1, event.data, metadata]);
    expect(hashEvent(event, GENESIS_HASH)).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('ignores the integrity member and key order, and changes with anything else', () => {
    const base = hashEvent(event, GENESIS_HASH);
    const withIntegrity = { ...event, metadata: { ...event.metadata, integrity: { previousHash: GENESIS_HASH, hash: base } } };
    expect(hashEvent(withIntegrity, GENESIS_HASH)).toBe(base);
    const reordered = { ...event, data: JSON.parse(JSON.stringify({ commentary: (event.data as { commentary: string }).commentary, monthlyValues: [{ value: '1.5', month: '2026-04' }], value: '72.5' })) };
    expect(hashEvent(reordered, GENESIS_HASH)).toBe(base);
    const changes: RecordedEvent[] = [
      { ...event, data: { ...(event.data as object), value: '72.6' } },
      { ...event, metadata: { ...event.metadata, actor: 'user:bob' } },
      { ...event, revision: 4n },
      { ...event, streamId: 'return-ASC-02-2026-27-Q1' },
      { ...event, type: 'ReturnResubmitted' },
      { ...event, schemaVersion: 2 },
    ];
    for (const changed of changes) expect(hashEvent(changed, GENESIS_HASH)).not.toBe(base);
    expect(hashEvent(event, 'f'.repeat(64))).not.toBe(base);
    // The global position is not part of it (PostgreSQL assigns it at commit): anchors cover it.
    const moved: RecordedEvent = { ...event, position: 100n };
    expect(hashEvent(moved, GENESIS_HASH)).toBe(base);
  });
});

describe('merkleRoot', () => {
  const leaves = [1n, 2n, 3n, 4n, 5n].map((position) => merkleLeaf(position, String(position).repeat(64).slice(0, 64)));

  it('changes when a leaf changes, moves, or goes', () => {
    const root = merkleRoot(leaves);
    expect(merkleRoot([...leaves])).toBe(root);
    expect(merkleRoot([leaves[1]!, leaves[0]!, ...leaves.slice(2)])).not.toBe(root);
    expect(merkleRoot(leaves.slice(0, 4))).not.toBe(root);
    expect(merkleRoot([...leaves.slice(0, 4), merkleLeaf(5n, '0'.repeat(64))])).not.toBe(root);
  });

  it('binds a leaf to its position', () => {
    expect(merkleLeaf(7n, 'a'.repeat(64)).equals(merkleLeaf(8n, 'a'.repeat(64)))).toBe(false);
  });
});
