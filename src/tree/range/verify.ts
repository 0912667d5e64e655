// Verifying a range proof in the core (assembly/jmt_range.ts).
import { assertBytes } from '../../assert.js';
import { backend } from '../../core/load.js';
import { rangeFailure } from '../../core/status.js';
import { InvalidArgument, ProofInvalid } from '../../errors.js';
import { assertHash, type Leaf } from '../hash.js';
import { MAX_RANGE_PROOF_BYTES } from './encoding.js';

/**
 * Checks that `leaves` (Leaf[] or n × 64 bytes keyHash || valueHash, in key-hash order) are
 * exactly the leaves of the tree with `root` whose key hash lies in [lo, hi]. Throws
 * ProofInvalid naming the failed check.
 */
export function verifyRangeProof(root: Uint8Array, lo: Uint8Array, hi: Uint8Array,
  leaves: readonly Leaf[] | Uint8Array, proof: Uint8Array): void {
  assertHash(root, 'root');
  assertHash(lo, 'lo');
  assertHash(hi, 'hi');
  assertBytes(proof, 'proof', MAX_RANGE_PROOF_BYTES);
  const packed = leaves instanceof Uint8Array ? leaves : packLeaves(leaves);
  if (packed.length % 64 !== 0) throw new InvalidArgument(`packed leaves are ${packed.length} bytes, not a multiple of 64`);
  const code = backend().jmt.verifyRange(root, lo, hi, packed, proof);
  if (code !== 0) throw new ProofInvalid(rangeFailure(code));
}

function packLeaves(leaves: readonly Leaf[]): Uint8Array {
  const out = new Uint8Array(leaves.length * 64);
  leaves.forEach((l, i) => {
    assertHash(l.keyHash, `leaves[${i}].keyHash`);
    assertHash(l.valueHash, `leaves[${i}].valueHash`);
    out.set(l.keyHash, i * 64);
    out.set(l.valueHash, i * 64 + 32);
  });
  return out;
}
