// Tallying a commit's signatures against a validator set (types/validation.go): only
// Commit-flag votes count, validators are matched by address, a validator voting twice is an
// error, and tallying stops once the power is strictly over what is needed. The signatures
// that made up that power are then checked in one batch; any bad one fails the commit.
// Signatures verified once are remembered per commit, so the trusted-set and new-set tallies
// of non-adjacent verification never verify the same signature twice.
import { equalBytes } from '../bytes.js';
import { toHex } from '../hex.js';
import { voteSignBytes } from './encoding.js';
import { BlockIdFlag, type Commit, type ValidatorSet } from './types.js';

export interface SignatureCheck {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/** Verifies ed25519 signatures (ZIP-215 rules, as CometBFT), one verdict per item, in order. */
export type BatchVerifier = (items: readonly SignatureCheck[]) => boolean[];

export type TallyResult =
  | { ok: true; tallied: bigint; needed: bigint; total: bigint }
  | { ok: false; problem: 'not-enough-power'; tallied: bigint; needed: bigint; total: bigint }
  | { ok: false; problem: 'invalid-signature' | 'duplicate-vote'; index: number };

/** The signatures of one commit, with the ones already verified remembered. */
export class CommitSignatures {
  private readonly signBytes: (index: number) => Uint8Array;
  /** Commit index → the public key its signature was verified with. */
  private readonly verified = new Map<number, Uint8Array>();

  constructor(chainId: string, readonly commit: Commit, private readonly verify: BatchVerifier) {
    this.signBytes = voteSignBytes(chainId, commit);
  }

  /**
   * Whether the validators of `vals` that signed this commit hold strictly more than
   * `total * numerator / denominator` (integer division) of its voting power.
   */
  tally(vals: ValidatorSet, numerator: bigint, denominator: bigint): TallyResult {
    const total = vals.totalVotingPower;
    const needed = (total * numerator) / denominator;
    const byAddress = new Map<string, number>();
    vals.validators.forEach((v, i) => byAddress.set(toHex(v.address), i));
    const seen = new Set<number>();
    const pending: number[] = [];
    const keys: Uint8Array[] = [];
    let tallied = 0n;
    const { signatures } = this.commit;
    for (let idx = 0; idx < signatures.length && tallied <= needed; idx++) {
      const sig = signatures[idx];
      if (sig.blockIdFlag !== BlockIdFlag.Commit) continue;
      const valIdx = byAddress.get(toHex(sig.validatorAddress));
      if (valIdx === undefined) continue;
      if (seen.has(valIdx)) return { ok: false, problem: 'duplicate-vote', index: idx };
      seen.add(valIdx);
      const val = vals.validators[valIdx];
      const known = this.verified.get(idx);
      if (!known || !equalBytes(known, val.pubKey)) {
        pending.push(idx);
        keys.push(val.pubKey);
      }
      tallied += val.votingPower;
    }
    if (tallied <= needed) return { ok: false, problem: 'not-enough-power', tallied, needed, total };
    if (pending.length > 0) {
      const results = this.verify(pending.map((idx, i) => ({
        publicKey: keys[i], message: this.signBytes(idx), signature: signatures[idx].signature,
      })));
      const bad = pending.findIndex((_, i) => results[i] !== true);
      if (bad >= 0) return { ok: false, problem: 'invalid-signature', index: pending[bad] };
      pending.forEach((idx, i) => this.verified.set(idx, keys[i]));
    }
    return { ok: true, tallied, needed, total };
  }
}
