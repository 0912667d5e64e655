// verifyMembership / verifyNonMembership with @confio/ics23's argument order. The proof may be
// protobuf bytes or a decoded object (encoded here), so the one verifier in WASM decodes,
// hashes and checks everything.
import { backend } from '../core/load.js';
import { describeDecodeError, type Ics23Outcome } from '../core/ics23.js';
import { InvalidArgument, MalformedProof, UnsupportedHashOp } from '../errors.js';
import { encodeCommitmentProof, encodeProofSpec } from './encode.js';
import { iavlSpec, jmtSpec, smtSpec, tendermintSpec } from './specs.js';
import type { CommitmentProof, ProofSpec } from './types.js';
import { assertIterable } from '../assert.js';

/** Why a proof did not verify (codes of assembly/ics23_ops.ts). */
export const REASONS = [
  'valid', 'key-mismatch', 'value-mismatch', 'root-mismatch', 'no-leaf-op', 'leaf-op-mismatch', 'iavl-prefix',
  'tendermint-prefix', 'path-too-short', 'path-too-long', 'inner-hash-mismatch', 'inner-prefix', 'inner-suffix',
  'invalid-spec', 'empty-key', 'empty-value', 'empty-child', 'unsupported-hash', 'length-op', 'child-too-long',
  'no-proof-for-key', 'no-neighbours', 'key-not-between-neighbours', 'not-leftmost', 'not-rightmost', 'not-neighbours',
  'no-hash',
] as const;
export type Ics23Reason = (typeof REASONS)[number];

/** The verdict of a check: valid, or the first rule the proof broke. */
export type Ics23Verdict = { valid: true } | { valid: false; reason: Ics23Reason };

// The built-in specs are frozen, so their encodings can be kept.
const builtInSpecs = new Map<ProofSpec, Uint8Array>(
  [iavlSpec, tendermintSpec, smtSpec, jmtSpec].map((s) => [s, encodeProofSpec(s)]));

function specBytes(spec: ProofSpec): Uint8Array {
  if (spec == null || typeof spec !== 'object') throw new InvalidArgument('spec must be a ProofSpec object');
  return builtInSpecs.get(spec) ?? encodeProofSpec(spec);
}

function proofBytes(proof: CommitmentProof | Uint8Array): Uint8Array {
  if (proof instanceof Uint8Array) return proof;
  if (proof == null || typeof proof !== 'object') throw new InvalidArgument('proof must be CommitmentProof bytes or object');
  return encodeCommitmentProof(proof);
}

function bytesArg(name: string, v: Uint8Array): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new InvalidArgument(`${name} must be a Uint8Array`);
  return v;
}

/** Turns the core's outcome into a verdict, or throws when the inputs cannot be checked. */
export function verdict(o: Ics23Outcome): Ics23Verdict {
  if (o.status === 1) return { valid: true };
  if (o.status === -1) throw new MalformedProof(describeDecodeError(o.decodeError), o.decodeErrorAt);
  if (o.status === -2) throw new InvalidArgument(`the ProofSpec cannot be used (decode error ${o.decodeError}: child_order is limited to 64 entries)`);
  const reason = REASONS[o.reason] ?? 'invalid-spec';
  if (reason === 'unsupported-hash') {
    throw new UnsupportedHashOp('the proof or spec uses a HashOp lightsnap does not implement (KECCAK256, BLAKE3; Go does not implement them either)');
  }
  return { valid: false, reason };
}

/**
 * Checks that `proof` proves `key` → `value` under `root` for trees described by `spec`, and
 * says which rule failed when it does not. Throws MalformedProof for undecodable proof bytes
 * and UnsupportedHashOp when a needed hash is not implemented.
 */
export function checkMembership(proof: CommitmentProof | Uint8Array, spec: ProofSpec, root: Uint8Array,
  key: Uint8Array, value: Uint8Array): Ics23Verdict {
  return verdict(backend().ics23.verifyMembership(proofBytes(proof), specBytes(spec), bytesArg('root', root),
    bytesArg('key', key), bytesArg('value', value)));
}

/** Checks that `proof` proves `key` absent under `root`; see checkMembership. */
export function checkNonMembership(proof: CommitmentProof | Uint8Array, spec: ProofSpec, root: Uint8Array,
  key: Uint8Array): Ics23Verdict {
  return verdict(backend().ics23.verifyNonMembership(proofBytes(proof), specBytes(spec), bytesArg('root', root),
    bytesArg('key', key)));
}

/**
 * True iff `proof` (CommitmentProof bytes or object; plain, batch or compressed) holds a valid
 * existence proof of `key` → `value` under `root`. Same arguments as @confio/ics23. Throws
 * MalformedProof / UnsupportedHashOp when the proof cannot be checked at all.
 */
export function verifyMembership(proof: CommitmentProof | Uint8Array, spec: ProofSpec, root: Uint8Array,
  key: Uint8Array, value: Uint8Array): boolean {
  return checkMembership(proof, spec, root, key, value).valid;
}

/** True iff `proof` holds a valid non-existence proof of `key` under `root`; see verifyMembership. */
export function verifyNonMembership(proof: CommitmentProof | Uint8Array, spec: ProofSpec, root: Uint8Array,
  key: Uint8Array): boolean {
  return checkNonMembership(proof, spec, root, key).valid;
}

/**
 * True iff `proof` holds a valid existence proof under `root` for every key → value of `items`
 * (a Map, or [key, value] pairs); the proof is encoded once. As upstream @confio/ics23 0.10.
 */
export function batchVerifyMembership(proof: CommitmentProof | Uint8Array, spec: ProofSpec, root: Uint8Array,
  items: Iterable<readonly [Uint8Array, Uint8Array]>): boolean {
  const p = proofBytes(proof);
  const s = specBytes(spec);
  assertIterable(items, 'items');
  for (const item of items) {
    if (!Array.isArray(item)) throw new InvalidArgument('each item must be a [key, value] pair');
    const [key, value] = item as readonly [Uint8Array, Uint8Array];
    if (!verdict(backend().ics23.verifyMembership(p, s, bytesArg('root', root), bytesArg('key', key), bytesArg('value', value))).valid) {
      return false;
    }
  }
  return true;
}

/** True iff `proof` holds a valid non-existence proof under `root` for every key of `keys`; see batchVerifyMembership. */
export function batchVerifyNonMembership(proof: CommitmentProof | Uint8Array, spec: ProofSpec, root: Uint8Array,
  keys: Iterable<Uint8Array>): boolean {
  const p = proofBytes(proof);
  const s = specBytes(spec);
  assertIterable(keys, 'keys');
  for (const key of keys) {
    if (!verdict(backend().ics23.verifyNonMembership(p, s, bytesArg('root', root), bytesArg('key', key))).valid) return false;
  }
  return true;
}
