// CometBFT's hashes and sign bytes, bit-exact (SPECS §11): the header hash (types/block.go
// Header.Hash), the validator-set hash (types/validator_set.go), addresses (crypto/ed25519) and
// vote sign bytes (types/vote.go VoteSignBytes, types/canonical.go), hashed with the core's
// SHA-256 and simple Merkle tree.
import { compareBytes, concatBytes } from '../bytes.js';
import { backend } from '../core/load.js';
import { merkleRoot } from '../merkle/tree.js';
import { bytesField, delimited, messageField, sfixed64Field, stringField, varintField } from './proto.js';
import { encodeTimestamp } from './time.js';
import type { BlockId, Commit, Header, Validator } from './types.js';

/** SignedMsgType PRECOMMIT: the type of every vote in a commit. */
const PRECOMMIT = 2;

/** A validator's address: the first 20 bytes of SHA-256 of its ed25519 public key. */
export function validatorAddress(pubKey: Uint8Array): Uint8Array {
  return backend().sha256(pubKey).slice(0, 20);
}

/** CometBFT's validator order: voting power descending, then address ascending. */
export function byPowerThenAddress(a: Validator, b: Validator): number {
  if (a.votingPower !== b.votingPower) return a.votingPower > b.votingPower ? -1 : 1;
  return compareBytes(a.address, b.address);
}

/** `SimpleValidator{PublicKey{ed25519}, voting_power}` protobuf bytes. */
function simpleValidator(v: Validator): Uint8Array {
  return concatBytes([messageField(1, bytesField(1, v.pubKey)), varintField(2, v.votingPower)]);
}

/** The validator-set hash of validators already in CometBFT's order. */
export function validatorSetHash(validators: readonly Validator[]): Uint8Array {
  return merkleRoot(validators.map(simpleValidator));
}

function encodePartSetHeader(total: number, hash: Uint8Array): Uint8Array {
  return concatBytes([varintField(1, total), bytesField(2, hash)]);
}

/** `BlockID` protobuf bytes (the part set header is non-nullable: always written). */
function encodeBlockId(id: BlockId): Uint8Array {
  return concatBytes([bytesField(1, id.hash), messageField(2, encodePartSetHeader(id.partSetHeader.total, id.partSetHeader.hash))]);
}

/** The header hash: the simple Merkle root of its 14 fields, each protobuf-encoded. */
export function headerHash(h: Header): Uint8Array {
  // cdcEncode wraps scalars in gogotypes' StringValue / Int64Value / BytesValue (field 1).
  return merkleRoot([
    concatBytes([varintField(1, h.version.block), varintField(2, h.version.app)]),
    stringField(1, h.chainId),
    varintField(1, h.height),
    encodeTimestamp(h.time),
    encodeBlockId(h.lastBlockId),
    bytesField(1, h.lastCommitHash),
    bytesField(1, h.dataHash),
    bytesField(1, h.validatorsHash),
    bytesField(1, h.nextValidatorsHash),
    bytesField(1, h.consensusHash),
    bytesField(1, h.appHash),
    bytesField(1, h.lastResultsHash),
    bytesField(1, h.evidenceHash),
    bytesField(1, h.proposerAddress),
  ]);
}

function isZeroBlockId(id: BlockId): boolean {
  return id.hash.length === 0 && id.partSetHeader.total === 0 && id.partSetHeader.hash.length === 0;
}

/**
 * The sign bytes of each Commit-flag signature of `commit`, as `Commit.GetVote` +
 * `VoteSignBytes` build them: a length-delimited `CanonicalVote{PRECOMMIT, height, round,
 * CanonicalBlockID, timestamp, chain_id}`. Only the timestamp differs between signatures, so
 * the rest is encoded once. Returns a function of the signature's index.
 */
export function voteSignBytes(chainId: string, commit: Commit): (index: number) => Uint8Array {
  const head = concatBytes([
    varintField(1, PRECOMMIT),
    sfixed64Field(2, commit.height),
    sfixed64Field(3, commit.round),
    // CanonicalizeBlockID: a zero block id is omitted (a nil vote); otherwise hash + part set header.
    isZeroBlockId(commit.blockId) ? new Uint8Array(0) : messageField(4, encodeBlockId(commit.blockId)),
  ]);
  const tail = stringField(6, chainId);
  return (index) => delimited(concatBytes([head, messageField(5, encodeTimestamp(commit.signatures[index].timestamp)), tail]));
}
