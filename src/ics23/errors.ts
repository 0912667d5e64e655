// Typed errors of the ICS23 verifier. An invalid proof is not an error (the verify functions
// return false); these are for inputs that cannot be checked at all.
import { LightsnapError } from '../errors.js';

const DECODE_ERRORS: Record<number, string> = {
  1: 'a varint, length or fixed-width value runs past the end',
  2: 'a varint is longer than 10 bytes',
  3: 'a field has an invalid wire type',
  4: 'a field number is 0',
  5: 'a singular message field or oneof appears twice',
  6: 'a repeated field has more entries than the verifier accepts (path 512, child_order 64, lookup_inners 4096)',
  7: 'a compressed path index is outside lookup_inners',
};

/** The proof bytes are not a well-formed CommitmentProof (or exceed the verifier's limits). */
export class MalformedProof extends LightsnapError {
  /** Byte offset of the problem in the proof bytes. */
  readonly offset: number;
  constructor(decodeError: number, offset: number) {
    super('MalformedProof', `malformed ICS23 proof at byte ${offset}: ${DECODE_ERRORS[decodeError] ?? `decode error ${decodeError}`}`);
    this.name = 'MalformedProof';
    this.offset = offset;
  }
}

/** The proof needs a HashOp this verifier does not implement (KECCAK256, BLAKE3; Go does not implement them either). */
export class UnsupportedHashOp extends LightsnapError {
  constructor(message: string) {
    super('UnsupportedHashOp', message);
    this.name = 'UnsupportedHashOp';
  }
}
