// Chained multistore proofs, as a wallet checks an `abci_query` answer (SPECS §3.3): the ops
// (`ics23:iavl` then `ics23:simple`, …) are run first to last, each proving its key (the last
// unconsumed segment of the key path) with the previous op's root as value, and the last root
// must be the trusted app hash (CometBFT ProofOperators.Verify, SDK CommitmentOp.Run).
import { backend } from '../core/load.js';
import { equalBytes } from '../bytes.js';
import { describeDecodeError } from '../core/ics23.js';
import { InvalidArgument, MalformedProof } from '../errors.js';
import { encodeProofSpec } from '../ics23/encode.js';
import { iavlSpec, smtSpec, tendermintSpec } from '../ics23/specs.js';
import { verdict, type Ics23Reason } from '../ics23/verify.js';
import { assertObject } from '../assert.js';

/** One `ProofOp` of an `abci_query` response (`type`, `key`, `data` = CommitmentProof bytes). */
export interface ProofOp {
  type: string;
  key: Uint8Array;
  data: Uint8Array;
}

const specsByType: Record<string, Uint8Array> = {
  'ics23:iavl': encodeProofSpec(iavlSpec),
  'ics23:simple': encodeProofSpec(tendermintSpec),
  'ics23:smt': encodeProofSpec(smtSpec),
};

export type MultistoreReason = Ics23Reason | 'unknown-proof-type' | 'key-path-mismatch' | 'app-hash-mismatch' | 'no-root';
export type MultistoreVerdict = { valid: true } | { valid: false; reason: MultistoreReason; op: number };

const utf8 = new TextEncoder();

/**
 * Checks `ops` against the trusted `appHash` for `keyPath` (root first, as IBC's MerklePath:
 * `[storeName, key]`), proving `value` — or, when `value` is null/undefined, the key's absence.
 */
export function checkMultistoreProof(ops: readonly ProofOp[], appHash: Uint8Array, keyPath: readonly (string | Uint8Array)[],
  value?: Uint8Array | null): MultistoreVerdict {
  if (!Array.isArray(ops) || !Array.isArray(keyPath)) throw new InvalidArgument('ops and keyPath must be arrays');
  ops.forEach((op, i) => assertObject(op, `ops[${i}]`));
  const keys = keyPath.map((k) => (typeof k === 'string' ? utf8.encode(k) : k));
  if (ops.length !== keys.length) return { valid: false, reason: 'key-path-mismatch', op: Math.min(ops.length, keys.length) };
  const ics23 = backend().ics23;
  let arg: Uint8Array | null = value ?? null;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const spec = specsByType[op.type];
    if (!spec) return { valid: false, reason: 'unknown-proof-type', op: i };
    if (!equalBytes(op.key, keys[keys.length - 1 - i])) return { valid: false, reason: 'key-path-mismatch', op: i };
    const computed = ics23.commitmentRoot(op.data);
    if (computed.status === -1) throw new MalformedProof(describeDecodeError(computed.decodeError), computed.decodeErrorAt);
    if (!computed.bytes) return { valid: false, reason: 'no-root', op: i };
    const root = computed.bytes;
    const v = verdict(arg ? ics23.verifyMembership(op.data, spec, root, op.key, arg) : ics23.verifyNonMembership(op.data, spec, root, op.key));
    if (!v.valid) return { valid: false, reason: v.reason, op: i };
    arg = root;
  }
  if (!arg || !equalBytes(arg, appHash)) return { valid: false, reason: 'app-hash-mismatch', op: ops.length - 1 };
  return { valid: true };
}

/** True iff `ops` prove `value` (or absence, when `value` is null/undefined) at `keyPath` under `appHash`. */
export function verifyMultistoreProof(ops: readonly ProofOp[], appHash: Uint8Array, keyPath: readonly (string | Uint8Array)[],
  value?: Uint8Array | null): boolean {
  return checkMultistoreProof(ops, appHash, keyPath, value).valid;
}
