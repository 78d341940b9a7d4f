export { canonicalJson } from './canonical-json';
export { GENESIS_HASH, hashEvent, chainHashOf, type HashedContent } from './event-hash';
export { HashChainingEventStore, type HashChainingOptions } from './hash-chaining.event-store';
export { MerkleTree, merkleLeaf, merkleRoot } from './merkle-root';
export * from './integrity-anchor';
export * from './integrity-anchor.recorder';
export * from './event-log.verifier';
