// Typed errors of the tree: each has a stable `code` (LightsnapError) and says what was wrong
// and where, so callers can branch without parsing messages.
import { LightsnapError } from '../errors.js';

/** Leaves given as sorted were not strictly increasing by key hash (or left their subtree). */
export class UnsortedLeaves extends LightsnapError {
  /** Index of the offending leaf, counting every leaf given to the builder. */
  readonly index: number;
  constructor(index: number, detail = 'is not greater than the previous key hash') {
    super('UnsortedLeaves', `leaf ${index}: key hash ${detail}`);
    this.name = 'UnsortedLeaves';
    this.index = index;
  }
}

/** A proof failed verification or could not be decoded; `reason` says which check failed. */
export class ProofInvalid extends LightsnapError {
  readonly reason: string;
  constructor(reason: string, message?: string) {
    super('ProofInvalid', message ?? `proof rejected: ${reason}`);
    this.name = 'ProofInvalid';
    this.reason = reason;
  }
}
