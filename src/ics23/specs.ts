// The standard ProofSpecs (SPECS §2.5, §1.8), in @confio/ics23's object shape.
import { HashOp, LengthOp, type ProofSpec } from './types.js';

const ascii = (s: string) => new TextEncoder().encode(s);

/** IAVL (Cosmos SDK stores): `ics23:iavl`. */
export const iavlSpec: ProofSpec = Object.freeze({
  leafSpec: { prefix: Uint8Array.of(0), prehashKey: HashOp.NO_HASH, hash: HashOp.SHA256, prehashValue: HashOp.SHA256, length: LengthOp.VAR_PROTO },
  innerSpec: { childOrder: [0, 1], minPrefixLength: 4, maxPrefixLength: 12, childSize: 33, hash: HashOp.SHA256 },
});

/** CometBFT simple Merkle trees (the multistore's `ics23:simple`). */
export const tendermintSpec: ProofSpec = Object.freeze({
  leafSpec: { prefix: Uint8Array.of(0), prehashKey: HashOp.NO_HASH, hash: HashOp.SHA256, prehashValue: HashOp.SHA256, length: LengthOp.VAR_PROTO },
  innerSpec: { childOrder: [0, 1], minPrefixLength: 1, maxPrefixLength: 1, childSize: 32, hash: HashOp.SHA256 },
});

/** celestiaorg/smt sparse Merkle trees (Go's SmtSpec: max depth 256, neighbours ordered by hashed key). */
export const smtSpec: ProofSpec = Object.freeze({
  leafSpec: { hash: HashOp.SHA256, prehashKey: HashOp.SHA256, prehashValue: HashOp.SHA256, length: LengthOp.NO_PREFIX, prefix: Uint8Array.of(0) },
  innerSpec: { childOrder: [0, 1], childSize: 32, minPrefixLength: 1, maxPrefixLength: 1, emptyChild: new Uint8Array(32), hash: HashOp.SHA256 },
  maxDepth: 256,
  prehashKeyBeforeComparison: true,
});

/** Jellyfish Merkle Trees (penumbra-zone/jmt `ics23_spec()`): max depth 64, neighbours ordered by key hash. */
export const jmtSpec: ProofSpec = Object.freeze({
  leafSpec: { hash: HashOp.SHA256, prehashKey: HashOp.SHA256, prehashValue: HashOp.SHA256, length: LengthOp.NO_PREFIX, prefix: ascii('JMT::LeafNode') },
  innerSpec: {
    childOrder: [0, 1], childSize: 32, minPrefixLength: 16, maxPrefixLength: 16,
    emptyChild: ascii('SPARSE_MERKLE_PLACEHOLDER_HASH__'), hash: HashOp.SHA256,
  },
  minDepth: 0,
  maxDepth: 64,
  prehashKeyBeforeComparison: true,
});
