import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../event-store.port';
import { canonicalJson } from './canonical-json';
import { GENESIS_HASH, hashEvent, storedChainLink, withIntegrity } from './event-hash';
import { MerkleTree, merkleLeaf, merkleRoot } from './merkle-root';

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

describe('the stored text of a chained event', () => {
  const chained = withIntegrity(event, event.streamId, event.revision, 'a'.repeat(64));
  const stored = chained.storedJson!;
  const linkOf = (data: string, metadata: string) => storedChainLink(event.streamId, event.revision, event.id, event.type, 1, data, metadata);

  it('holds the values appended, the hash it gives and its integrity member last', () => {
    expect(JSON.parse(stored.data)).toEqual(event.data);
    expect(JSON.parse(stored.metadata)).toEqual(chained.metadata);
    expect(stored.data).toBe(canonicalJson(event.data));
    expect(chained.metadata.integrity).toEqual({ previousHash: 'a'.repeat(64), hash: hashEvent({ ...event, metadata: chained.metadata }, 'a'.repeat(64)) });
    expect(linkOf(stored.data, stored.metadata)).toEqual(chained.metadata.integrity);
  });

  it('gives no link, so the verifier parses and names it, once any byte of it changed', () => {
    const edits: Array<[string, string]> = [
      [stored.data.replace('72.5', '72.6'), stored.metadata],
      [stored.data.replace('{', '{ '), stored.metadata], // the same value, written otherwise: parsed and checked instead
      [stored.data, stored.metadata.replace('user:alice', 'user:mallory')],
      // A key smuggled in behind the integrity member (JSON.parse would keep the last actor):
      [stored.data, `${stored.metadata.slice(0, -1)},"actor":"user:mallory"}`],
      [stored.data, stored.metadata.replace(chained.metadata.integrity!.hash, 'b'.repeat(64))],
      [stored.data, stored.metadata.replace(/"previousHash":"a/, '"previousHash":"b')],
      [stored.data, JSON.stringify(chained.metadata)], // the same value with the keys in the appender's order
    ];
    for (const [data, metadata] of edits) expect(linkOf(data, metadata)).toBeUndefined();
    expect(storedChainLink(event.streamId, event.revision + 1n, event.id, event.type, 1, stored.data, stored.metadata)).toBeUndefined();
    expect(storedChainLink(event.streamId, event.revision, event.id, event.type, 2, stored.data, stored.metadata)).toBeUndefined();
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

  it('is the documented tree, written plainly, at every size (the anchors stored depend on it)', () => {
    const plainLeaf = (position: bigint, eventHash: string) => createHash('sha256').update(`\u0000${position}:${eventHash}`).digest();
    const plainRoot = (nodes: Buffer[]): string => {
      if (nodes.length === 0) return createHash('sha256').digest('hex');
      let level = nodes;
      while (level.length > 1) {
        const next: Buffer[] = [];
        for (let i = 0; i < level.length; i += 2) {
          next.push(level[i + 1] === undefined ? level[i]! : createHash('sha256').update(Buffer.concat([Buffer.from([1]), level[i]!, level[i + 1]!])).digest());
        }
        level = next;
      }
      return level[0]!.toString('hex');
    };
    for (const size of [0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 1024, 1025, 3000]) {
      const hashes = Array.from({ length: size }, (_, i) => createHash('sha256').update(String(i)).digest('hex'));
      const tree = new MerkleTree();
      hashes.forEach((eventHash, i) => tree.add(BigInt(i * 3 + 1), eventHash));
      const expected = plainRoot(hashes.map((eventHash, i) => plainLeaf(BigInt(i * 3 + 1), eventHash)));
      expect([size, tree.size, tree.root()]).toEqual([size, size, expected]);
      expect(merkleRoot(hashes.map((eventHash, i) => merkleLeaf(BigInt(i * 3 + 1), eventHash)))).toBe(expected);
    }
  });

  it('binds a leaf to its position', () => {
    expect(merkleLeaf(7n, 'a'.repeat(64)).equals(merkleLeaf(8n, 'a'.repeat(64)))).toBe(false);
  });
});
