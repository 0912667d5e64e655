// SparseMerkleProof (SPECS.md §1.5): membership and non-membership of one key, its encoding
// (docs/FORMAT.md, format 1) and its verification in the core.
import { assertBytes, assertArray, assertByteFields, assertObject } from '../assert.js';
import { backend } from '../core/load.js';
import { proofFailure } from '../core/status.js';
import { InvalidArgument, ProofInvalid } from '../errors.js';
import { assertHash, type Leaf } from './hash.js';

export interface SparseMerkleProof {
  /**
   * The leaf on the key's path: the key's own leaf (membership), another key's leaf alone in
   * the subtree the key would fall into (non-membership), or null (that subtree is empty).
   */
  leaf: Leaf | null;
  /** Sibling hashes from the leaf's level (bottom) to the root's children (top). */
  siblings: Uint8Array[];
}

export const PROOF_FORMAT_VERSION = 1;
/** Largest encoded SparseMerkleProof: version, flags, leaf, count, 256 siblings. */
export const MAX_PROOF_BYTES = 2 + 64 + 2 + 256 * 32;

/** Encodes a proof: version 1, flags (bit 0: leaf), [keyHash valueHash], u16le count, siblings. */
export function encodeProof(proof: SparseMerkleProof): Uint8Array {
  assertObject(proof, 'proof');
  assertArray(proof.siblings, 'proof.siblings');
  proof.siblings.forEach((s, i) => assertBytes(s, `proof.siblings[${i}]`, 32));
  if (proof.leaf) assertByteFields(proof.leaf, 'proof.leaf', ['keyHash', 'valueHash']);
  if (proof.siblings.length > 256) throw new InvalidArgument(`a proof has at most 256 siblings, got ${proof.siblings.length}`);
  const leafBytes = proof.leaf ? 64 : 0;
  const out = new Uint8Array(4 + leafBytes + proof.siblings.length * 32);
  out[0] = PROOF_FORMAT_VERSION;
  out[1] = proof.leaf ? 1 : 0;
  if (proof.leaf) {
    assertHash(proof.leaf.keyHash, 'proof.leaf.keyHash');
    assertHash(proof.leaf.valueHash, 'proof.leaf.valueHash');
    out.set(proof.leaf.keyHash, 2);
    out.set(proof.leaf.valueHash, 34);
  }
  const at = 2 + leafBytes;
  out[at] = proof.siblings.length & 0xff;
  out[at + 1] = proof.siblings.length >>> 8;
  proof.siblings.forEach((s, i) => {
    assertHash(s, `proof.siblings[${i}]`);
    out.set(s, at + 2 + i * 32);
  });
  return out;
}

/** Decodes an encoded proof, checking every length; throws ProofInvalid. */
export function decodeProof(bytes: Uint8Array): SparseMerkleProof {
  assertBytes(bytes, 'proof', MAX_PROOF_BYTES);
  if (bytes.length < 4) throw new ProofInvalid('truncated');
  if (bytes[0] !== PROOF_FORMAT_VERSION) throw new ProofInvalid('unknown format version');
  if (bytes[1] > 1) throw new ProofInvalid('invalid flags');
  let at = 2;
  let leaf: Leaf | null = null;
  if (bytes[1] === 1) {
    if (bytes.length < 68) throw new ProofInvalid('truncated');
    leaf = { keyHash: bytes.slice(2, 34), valueHash: bytes.slice(34, 66) };
    at = 66;
  }
  const n = bytes[at] | (bytes[at + 1] << 8);
  if (n > 256) throw new ProofInvalid('more than 256 siblings');
  at += 2;
  if (bytes.length - at < n * 32) throw new ProofInvalid('truncated');
  if (bytes.length - at > n * 32) throw new ProofInvalid('trailing bytes');
  const siblings = Array.from({ length: n }, (_, i) => bytes.slice(at + i * 32, at + i * 32 + 32));
  return { leaf, siblings };
}

function check(root: Uint8Array, keyHash: Uint8Array, valueHash: Uint8Array | null, proof: SparseMerkleProof | Uint8Array): void {
  assertHash(root, 'root');
  assertHash(keyHash, 'keyHash');
  if (valueHash) assertHash(valueHash, 'valueHash');
  const bytes = proof instanceof Uint8Array ? proof : encodeProof(proof);
  assertBytes(bytes, 'proof', MAX_PROOF_BYTES);
  const code = backend().jmt.verifyProof(root, keyHash, valueHash, bytes);
  if (code !== 0) throw new ProofInvalid(proofFailure(code));
}

/** Checks that `keyHash` maps to `valueHash` under `root`; throws ProofInvalid with the reason. */
export function verifyMembership(root: Uint8Array, keyHash: Uint8Array, valueHash: Uint8Array, proof: SparseMerkleProof | Uint8Array): void {
  check(root, keyHash, valueHash, proof);
}

/** Checks that `keyHash` is absent under `root`; throws ProofInvalid with the reason. */
export function verifyNonMembership(root: Uint8Array, keyHash: Uint8Array, proof: SparseMerkleProof | Uint8Array): void {
  check(root, keyHash, null, proof);
}
