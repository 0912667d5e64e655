// Decoded CometBFT light-client data (types/block.go, types/validator_set.go, types/light.go).
// Everything here came from an untrusted source and has passed only the shape checks of
// decode.ts; verify.ts decides whether it is to be believed.
import type { Nanos } from './time.js';

export interface PartSetHeader {
  total: number;
  hash: Uint8Array;
}

export interface BlockId {
  hash: Uint8Array;
  partSetHeader: PartSetHeader;
}

export interface Header {
  version: { block: bigint; app: bigint };
  chainId: string;
  height: number;
  time: Nanos;
  /** The zero BlockId (empty hash, zero part set) at the first height. */
  lastBlockId: BlockId;
  lastCommitHash: Uint8Array;
  dataHash: Uint8Array;
  validatorsHash: Uint8Array;
  nextValidatorsHash: Uint8Array;
  consensusHash: Uint8Array;
  appHash: Uint8Array;
  lastResultsHash: Uint8Array;
  evidenceHash: Uint8Array;
  proposerAddress: Uint8Array;
}

/** `BlockIDFlag`: how a validator's slot in a commit is filled. */
export const BlockIdFlag = { Absent: 1, Commit: 2, Nil: 3 } as const;
export type BlockIdFlag = (typeof BlockIdFlag)[keyof typeof BlockIdFlag];

export interface CommitSig {
  blockIdFlag: BlockIdFlag;
  validatorAddress: Uint8Array;
  timestamp: Nanos;
  signature: Uint8Array;
}

export interface Commit {
  height: number;
  round: number;
  blockId: BlockId;
  signatures: CommitSig[];
}

export interface SignedHeader {
  header: Header;
  commit: Commit;
}

export interface Validator {
  /** First 20 bytes of SHA-256 of the public key. */
  address: Uint8Array;
  /** An ed25519 public key (32 bytes). */
  pubKey: Uint8Array;
  votingPower: bigint;
}

/** Validators in CometBFT's order: voting power descending, then address ascending. */
export interface ValidatorSet {
  validators: Validator[];
  totalVotingPower: bigint;
}

/** A signed header with the validator sets it needs; decoded from the RPC/vectors JSON by `decodeLightBlock`. */
export interface LightBlock {
  signedHeader: SignedHeader;
  /** The validators of this height (hash: `validators_hash`). */
  validatorSet?: ValidatorSet;
  /** The validators of the next height (hash: `next_validators_hash`). */
  nextValidatorSet?: ValidatorSet;
}
