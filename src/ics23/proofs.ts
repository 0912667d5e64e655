// @confio/ics23's throwing forms: calculateExistenceRoot, verifyExistence, verifyNonExistence.
// They run the same WASM verifier as verifyMembership and throw ProofInvalid (with the reason)
// where @confio/ics23 throws an Error.
import { backend } from '../core/load.js';
import { ProofInvalid } from '../errors.js';
import { encodeExistenceProof } from './encode.js';
import { checkMembership, checkNonMembership, verdict } from './verify.js';
import type { ExistenceProof, NonExistenceProof, ProofSpec } from './types.js';

/** The root hash an existence proof's leaf and path compute (no spec checks); throws ProofInvalid when it cannot be computed. */
export function calculateExistenceRoot(proof: ExistenceProof): Uint8Array {
  const result = backend().ics23.calculate(encodeExistenceProof(proof));
  if (result.bytes) return result.bytes;
  const v = verdict(result);
  throw new ProofInvalid(v.valid ? 'no-hash' : v.reason, `cannot calculate the root of the existence proof: ${v.valid ? '' : v.reason}`);
}

function ensure(v: ReturnType<typeof checkMembership>, what: string): void {
  if (!v.valid) throw new ProofInvalid(v.reason, `${what} rejected: ${v.reason}`);
}

/** Throws ProofInvalid unless `proof` proves `key` → `value` under `root` for trees of `spec`. */
export function verifyExistence(proof: ExistenceProof, spec: ProofSpec, root: Uint8Array, key: Uint8Array, value: Uint8Array): void {
  ensure(checkMembership({ exist: proof }, spec, root, key, value), 'existence proof');
}

/** Throws ProofInvalid unless `proof` proves `key` absent under `root` for trees of `spec`. */
export function verifyNonExistence(proof: NonExistenceProof, spec: ProofSpec, root: Uint8Array, key: Uint8Array): void {
  ensure(checkNonMembership({ nonexist: proof }, spec, root, key), 'non-existence proof');
}
