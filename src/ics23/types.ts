// The ICS23 message shapes (cosmos.ics23.v1, SPECS §2.1) as plain objects, field for field
// the same as @confio/ics23's protobufjs interfaces (`ics23.ICommitmentProof`, `ics23.IProofSpec`,
// …), so objects built for that library can be passed here unchanged. Every field is optional
// and may be null, as in protobufjs.

/** cosmos.ics23.v1.HashOp. */
export const HashOp = {
  NO_HASH: 0, SHA256: 1, SHA512: 2, KECCAK256: 3, RIPEMD160: 4, BITCOIN: 5, SHA512_256: 6,
  BLAKE2B_512: 7, BLAKE2S_256: 8, BLAKE3: 9,
} as const;
export type HashOp = (typeof HashOp)[keyof typeof HashOp];

/** cosmos.ics23.v1.LengthOp. */
export const LengthOp = {
  NO_PREFIX: 0, VAR_PROTO: 1, VAR_RLP: 2, FIXED32_BIG: 3, FIXED32_LITTLE: 4, FIXED64_BIG: 5, FIXED64_LITTLE: 6,
  REQUIRE_32_BYTES: 7, REQUIRE_64_BYTES: 8,
} as const;
export type LengthOp = (typeof LengthOp)[keyof typeof LengthOp];

type Opt<T> = T | null | undefined;

export interface LeafOp {
  hash?: Opt<number>;
  prehashKey?: Opt<number>;
  prehashValue?: Opt<number>;
  length?: Opt<number>;
  prefix?: Opt<Uint8Array>;
}

export interface InnerOp {
  hash?: Opt<number>;
  prefix?: Opt<Uint8Array>;
  suffix?: Opt<Uint8Array>;
}

export interface ExistenceProof {
  key?: Opt<Uint8Array>;
  value?: Opt<Uint8Array>;
  leaf?: Opt<LeafOp>;
  path?: Opt<readonly InnerOp[]>;
}

export interface NonExistenceProof {
  key?: Opt<Uint8Array>;
  left?: Opt<ExistenceProof>;
  right?: Opt<ExistenceProof>;
}

export interface BatchEntry {
  exist?: Opt<ExistenceProof>;
  nonexist?: Opt<NonExistenceProof>;
}

export interface BatchProof {
  entries?: Opt<readonly BatchEntry[]>;
}

export interface CompressedExistenceProof {
  key?: Opt<Uint8Array>;
  value?: Opt<Uint8Array>;
  leaf?: Opt<LeafOp>;
  /** Indexes into `CompressedBatchProof.lookupInners`. */
  path?: Opt<readonly number[]>;
}

export interface CompressedNonExistenceProof {
  key?: Opt<Uint8Array>;
  left?: Opt<CompressedExistenceProof>;
  right?: Opt<CompressedExistenceProof>;
}

export interface CompressedBatchEntry {
  exist?: Opt<CompressedExistenceProof>;
  nonexist?: Opt<CompressedNonExistenceProof>;
}

export interface CompressedBatchProof {
  entries?: Opt<readonly CompressedBatchEntry[]>;
  lookupInners?: Opt<readonly InnerOp[]>;
}

/** A CommitmentProof: exactly one of the four kinds. */
export interface CommitmentProof {
  exist?: Opt<ExistenceProof>;
  nonexist?: Opt<NonExistenceProof>;
  batch?: Opt<BatchProof>;
  compressed?: Opt<CompressedBatchProof>;
}

export interface InnerSpec {
  childOrder?: Opt<readonly number[]>;
  childSize?: Opt<number>;
  minPrefixLength?: Opt<number>;
  maxPrefixLength?: Opt<number>;
  emptyChild?: Opt<Uint8Array>;
  hash?: Opt<number>;
}

export interface ProofSpec {
  leafSpec?: Opt<LeafOp>;
  innerSpec?: Opt<InnerSpec>;
  maxDepth?: Opt<number>;
  minDepth?: Opt<number>;
  /** Order neighbours by leaf_spec.prehash_key(key) (SMT, JMT); absent from @confio/ics23 0.6.8. */
  prehashKeyBeforeComparison?: Opt<boolean>;
}
