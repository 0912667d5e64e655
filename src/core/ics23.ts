// Typed access to the ICS23 exports of the core: copies the inputs into scratch memory back to
// back, calls, and reads the outcome. Meaning (errors, messages) is given in src/ics23/.
import { Scratch, type CoreExports } from './abi.js';

/** What the core said about a verification or a check. */
export interface Ics23Outcome {
  /** 1 valid, 0 invalid (see `reason`), -1 malformed proof bytes, -2 malformed spec bytes. */
  status: number;
  /** Why it is invalid (a reason code of assembly/ics23_ops.ts), 0 when valid. */
  reason: number;
  /** Decode error code (assembly/proto.ts) when malformed, else 0. */
  decodeError: number;
  /** Byte offset of the decode error in the malformed input. */
  decodeErrorAt: number;
}

/** The result of an operation (hash, leaf, inner, calculate): the bytes, or null and why not. */
export interface Ics23OpResult extends Ics23Outcome {
  bytes: Uint8Array | null;
}

export interface Ics23Core {
  verifyMembership(proof: Uint8Array, spec: Uint8Array, root: Uint8Array, key: Uint8Array, value: Uint8Array): Ics23Outcome;
  verifyNonMembership(proof: Uint8Array, spec: Uint8Array, root: Uint8Array, key: Uint8Array): Ics23Outcome;
  /** The root a CommitmentProof's first existence proof computes (Go's CommitmentProof.Calculate). */
  commitmentRoot(proof: Uint8Array): Ics23OpResult;
  hashOp(hashOp: number, data: Uint8Array): Ics23OpResult;
  applyLeaf(leafOp: Uint8Array, key: Uint8Array, value: Uint8Array): Ics23OpResult;
  applyInner(innerOp: Uint8Array, child: Uint8Array): Ics23OpResult;
  calculate(existenceProof: Uint8Array): Ics23OpResult;
  checkAgainstSpec(existenceProof: Uint8Array, spec: Uint8Array): Ics23Outcome;
  checkLeaf(leafOp: Uint8Array, spec: Uint8Array): Ics23Outcome;
  /** Bit 0: left branches are empty; bit 1: right branches are empty; bit 2: passes the inner-op spec check. */
  emptyBranches(innerOp: Uint8Array, spec: Uint8Array): Ics23Outcome;
  /**
   * Decodes a message of `type` (assembly/ics23.ts's message types) with the verifier's decoder:
   * its fields as tokens of three int32s (field << 2 | kind, a, b; bytes payloads as offsets
   * into `bytes`), or the decode error. The tokens are a view of core memory, valid until the
   * next core call: read them at once.
   */
  decode(type: number, bytes: Uint8Array): { tokens: Int32Array } | Ics23Outcome;
}

/** Longest digest the core writes (SHA-512). */
const MAX_DIGEST = 64;

export function createIcs23Core(core: CoreExports, scratch: Scratch): Ics23Core {
  /** Copies `parts` to scratch back to back, then room for a digest; returns their addresses. */
  function place(parts: Uint8Array[]): number[] {
    let total = MAX_DIGEST;
    for (const p of parts) total += p.length;
    let at = scratch.ensure(total);
    const mem = scratch.heap();
    const addresses: number[] = [];
    for (const p of parts) {
      mem.set(p, at);
      addresses.push(at);
      at += p.length;
    }
    addresses.push(at);
    return addresses;
  }

  function outcome(status: number, input: number): Ics23Outcome {
    const decodeError = status < 0 ? core.ics23DecodeError() : 0;
    return {
      status,
      reason: status === 0 ? core.ics23Reason() : 0,
      decodeError,
      decodeErrorAt: decodeError ? core.ics23DecodeErrorAt() - input : 0,
    };
  }

  function opResult(len: number, input: number, out: number): Ics23OpResult {
    if (len > 0) return { status: 1, reason: 0, decodeError: 0, decodeErrorAt: 0, bytes: scratch.view(out, len).slice() };
    const decodeError = core.ics23DecodeError();
    return {
      status: decodeError ? -1 : 0,
      reason: core.ics23Reason(),
      decodeError,
      decodeErrorAt: decodeError ? core.ics23DecodeErrorAt() - input : 0,
      bytes: null,
    };
  }

  /** Status of a check whose malformed-input error may lie in either of two inputs. */
  function checkOutcome(status: number, first: number, second: number): Ics23Outcome {
    return outcome(status, status === -2 ? second : first);
  }

  return {
    verifyMembership(proof, spec, root, key, value) {
      const [p, s, r, k, v] = place([proof, spec, root, key, value]);
      const status = core.ics23VerifyMembership(p, proof.length, s, spec.length, r, root.length, k, key.length, v, value.length);
      return checkOutcome(status, p, s);
    },
    verifyNonMembership(proof, spec, root, key) {
      const [p, s, r, k] = place([proof, spec, root, key]);
      const status = core.ics23VerifyNonMembership(p, proof.length, s, spec.length, r, root.length, k, key.length);
      return checkOutcome(status, p, s);
    },
    commitmentRoot(proof) {
      const [p, out] = place([proof]);
      const len = core.ics23CommitmentRoot(p, proof.length, out);
      return len < 0 ? { ...outcome(len, p), bytes: null } : opResult(len, p, out);
    },
    hashOp(hashOp, data) {
      const [d, out] = place([data]);
      return opResult(core.ics23HashOp(hashOp, d, data.length, out), d, out);
    },
    applyLeaf(leafOp, key, value) {
      const [o, k, v, out] = place([leafOp, key, value]);
      return opResult(core.ics23ApplyLeaf(o, leafOp.length, k, key.length, v, value.length, out), o, out);
    },
    applyInner(innerOp, child) {
      const [o, c, out] = place([innerOp, child]);
      return opResult(core.ics23ApplyInner(o, innerOp.length, c, child.length, out), o, out);
    },
    calculate(existenceProof) {
      const [p, out] = place([existenceProof]);
      return opResult(core.ics23Calculate(p, existenceProof.length, out), p, out);
    },
    checkAgainstSpec(existenceProof, spec) {
      const [p, s] = place([existenceProof, spec]);
      return checkOutcome(core.ics23CheckAgainstSpec(p, existenceProof.length, s, spec.length), p, s);
    },
    checkLeaf(leafOp, spec) {
      const [o, s] = place([leafOp, spec]);
      return checkOutcome(core.ics23CheckLeaf(o, leafOp.length, s, spec.length), o, s);
    },
    decode(type, bytes) {
      // Every token but a CLOSE consumes at least one input byte, and a CLOSE pairs with an OPEN
      // that consumed two: `bytes.length` tokens always suffice.
      const capacity = bytes.length + 1;
      const tokenAt = (bytes.length + 3) & ~3;
      const p = scratch.ensure(tokenAt + capacity * 12);
      scratch.view(p, bytes.length).set(bytes);
      const aligned = p + tokenAt;
      const count = core.ics23Decode(type, p, bytes.length, aligned, capacity);
      if (count < 0) return outcome(-1, p);
      return { tokens: new Int32Array(core.memory.buffer, aligned, count * 3) };
    },
    emptyBranches(innerOp, spec) {
      const [o, s] = place([innerOp, spec]);
      const status = core.ics23EmptyBranches(o, innerOp.length, s, spec.length);
      return status < 0 ? checkOutcome(status, o, s) : { status, reason: 0, decodeError: 0, decodeErrorAt: 0 };
    },
  };
}

/** What each of the core's ICS23 decode error codes means. */
const DECODE_ERRORS: Readonly<Record<number, string>> = {
  1: 'a varint, length or fixed-width value runs past the end',
  2: 'a varint is longer than 10 bytes',
  3: 'a field has an invalid wire type',
  4: 'a field number is 0',
  5: 'a singular message field or oneof appears twice',
  6: 'a repeated field has more entries than the verifier accepts (path 512, child_order 64, lookup_inners 4096)',
  7: 'a compressed path index is outside lookup_inners',
};

export function describeDecodeError(code: number): string {
  return DECODE_ERRORS[code] ?? `decode error ${code}`;
}
