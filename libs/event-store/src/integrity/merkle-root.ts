import { createHash, hash } from 'node:crypto';

const HASH_BYTES = 32;

/**
 * The leaf of one event in an anchor's Merkle tree: its global position and its chain hash, so
 * moving an event to another place in the global order changes the root as surely as changing
 * it does.
 */
export function merkleLeaf(position: bigint, eventHash: string): Buffer {
  return Buffer.from(leafDigest(position, eventHash), 'latin1');
}

/** The leaf's SHA-256 as a latin1 (`'binary'`) string, one character per byte: cheaper out of `hash` than a Buffer. */
function leafDigest(position: bigint, eventHash: string): string {
  // The leaf prefix byte 0x00 written as U+0000, which UTF-8 encodes as that one byte.
  return hash('sha256', `\u0000${position}:${eventHash}`, 'binary');
}

/**
 * The Merkle root (hex) over leaves in order: pairs are hashed level by level, an odd last node
 * moves up unchanged. Leaves and inner nodes carry different prefixes (0 and 1, as RFC 6962
 * does), so no inner node can pass for a leaf.
 */
export function merkleRoot(leaves: readonly Buffer[]): string {
  const tree = new MerkleTree();
  for (const leaf of leaves) tree.addLeaf(leaf);
  return tree.root();
}

/**
 * The leaves of one block, gathered in one buffer, and their {@link merkleRoot}: what `verify`
 * does for every event, so without a Buffer per leaf or per inner node.
 */
export class MerkleTree {
  private nodes = Buffer.allocUnsafe(1024 * HASH_BYTES);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds the leaf of the event at `position` with chain hash `eventHash` ({@link merkleLeaf}). */
  add(position: bigint, eventHash: string): void {
    this.reserve();
    this.nodes.write(leafDigest(position, eventHash), this.count * HASH_BYTES, 'latin1');
    this.count += 1;
  }

  addLeaf(leaf: Buffer): void {
    this.reserve();
    leaf.copy(this.nodes, this.count * HASH_BYTES, 0, HASH_BYTES);
    this.count += 1;
  }

  /** The root over the leaves added, hex. */
  root(): string {
    if (this.count === 0) return createHash('sha256').digest('hex');
    // Each level is written over the start of the one below it: node j of the next level needs
    // nodes 2j and 2j + 1, which are never before j.
    const nodes = this.nodes;
    const pair = Buffer.allocUnsafe(1 + 2 * HASH_BYTES);
    pair[0] = 1;
    for (let width = this.count; width > 1; width = Math.ceil(width / 2)) {
      for (let i = 0, j = 0; i < width; i += 2, j += 1) {
        if (i + 1 === width) nodes.copy(nodes, j * HASH_BYTES, i * HASH_BYTES, (i + 1) * HASH_BYTES);
        else {
          nodes.copy(pair, 1, i * HASH_BYTES, (i + 2) * HASH_BYTES);
          nodes.write(hash('sha256', pair, 'binary'), j * HASH_BYTES, 'latin1');
        }
      }
    }
    return nodes.toString('hex', 0, HASH_BYTES);
  }

  private reserve(): void {
    if ((this.count + 1) * HASH_BYTES <= this.nodes.length) return;
    const larger = Buffer.allocUnsafe(this.nodes.length * 2);
    this.nodes.copy(larger, 0, 0, this.count * HASH_BYTES);
    this.nodes = larger;
  }
}
