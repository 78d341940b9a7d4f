import { createHash, hash } from 'node:crypto';

const NODE = Buffer.from([1]);

/**
 * The leaf of one event in an anchor's Merkle tree: its global position and its chain hash, so
 * moving an event to another place in the global order changes the root as surely as changing
 * it does.
 */
export function merkleLeaf(position: bigint, eventHash: string): Buffer {
  // The leaf prefix byte 0x00 written as U+0000, which UTF-8 encodes as that one byte.
  return hash('sha256', `\u0000${position.toString()}:${eventHash}`, 'buffer');
}

/**
 * The Merkle root (hex) over leaves in order: pairs are hashed level by level, an odd last node
 * moves up unchanged. Leaves and inner nodes carry different prefixes (0 and 1, as RFC 6962
 * does), so no inner node can pass for a leaf.
 */
export function merkleRoot(leaves: readonly Buffer[]): string {
  if (leaves.length === 0) return createHash('sha256').digest('hex');
  let level = leaves;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(right === undefined ? level[i]! : hash('sha256', Buffer.concat([NODE, level[i]!, right]), 'buffer'));
    }
    level = next;
  }
  return level[0]!.toString('hex');
}
