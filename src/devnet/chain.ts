// A CometBFT-shaped chain made on demand: headers hashed and linked through LastBlockID,
// validator sets that change as the caller says, commits signed with real ed25519 keys by the
// caller's signer. Headers are computed in order (each needs its parent's hash, which is
// cheap); commits only for the heights asked for, so a 10,000-height chain costs little until
// it is read. Used by `lightsnap devnet` (Node, node:crypto keys) and by the tests (any signer).
import { backend } from '../core/load.js';
import { byPowerThenAddress, headerHash, validatorAddress, validatorSetHash, voteSignBytes } from '../light/encoding.js';
import { GO_ZERO_TIME, type Nanos } from '../light/time.js';
import { BlockIdFlag, type BlockId, type Commit, type CommitSig, type Header, type LightBlock, type Validator, type ValidatorSet } from '../light/types.js';

/** A validator the chain can sign with. */
export interface DevValidator {
  pubKey: Uint8Array;
  votingPower: bigint;
  sign(message: Uint8Array): Uint8Array;
}

export type Vote = 'commit' | 'nil' | 'absent';

export interface ChainSpec {
  chainId: string;
  /** The time of height 1. */
  genesisTime: Nanos;
  /** Time between heights (default 1 s). */
  blockIntervalNs?: bigint;
  /** The validators of a height; return the same array for heights that share a set (it is memoized by identity). */
  validatorsAt(height: number): readonly DevValidator[];
  /** The app hash a height's header carries (default: empty). */
  appHashAt?(height: number): Uint8Array;
  /** How a validator votes on a height (default: every validator signs the block). */
  voteAt?(height: number, validator: DevValidator, index: number): Vote;
}

const EMPTY = new Uint8Array(0);

interface SetInfo {
  set: ValidatorSet;
  hash: Uint8Array;
  /** The signing validators in the set's order. */
  signers: DevValidator[];
}

export class DevChain {
  private readonly hashes: Uint8Array[] = [];
  private readonly sets = new WeakMap<readonly DevValidator[], SetInfo>();
  private readonly emptyHash = backend().sha256(EMPTY);
  private readonly consensusHash: Uint8Array;

  constructor(readonly spec: ChainSpec) {
    this.consensusHash = backend().sha256(new TextEncoder().encode(`${spec.chainId} consensus params`));
  }

  /** The validator set of a height, in CometBFT's order, with its hash. */
  validators(height: number): SetInfo {
    const devs = this.spec.validatorsAt(height);
    let info = this.sets.get(devs);
    if (!info) {
      const paired = devs.map((d) => ({ d, v: { address: validatorAddress(d.pubKey), pubKey: d.pubKey, votingPower: d.votingPower } as Validator }));
      paired.sort((a, b) => byPowerThenAddress(a.v, b.v));
      const validators = paired.map((p) => p.v);
      const set = { validators, totalVotingPower: validators.reduce((n, v) => n + v.votingPower, 0n) };
      info = { set, hash: validatorSetHash(validators), signers: paired.map((p) => p.d) };
      this.sets.set(devs, info);
    }
    return info;
  }

  time(height: number): Nanos {
    return this.spec.genesisTime + BigInt(height - 1) * (this.spec.blockIntervalNs ?? 1_000_000_000n);
  }

  private blockId(hash: Uint8Array): BlockId {
    return { hash, partSetHeader: { total: 1, hash } };
  }

  header(height: number): Header {
    if (!Number.isSafeInteger(height) || height < 1) throw new RangeError(`no height ${height}`);
    const vals = this.validators(height);
    const last = height === 1 ? { hash: EMPTY, partSetHeader: { total: 0, hash: EMPTY } } : this.blockId(this.hash(height - 1));
    return {
      version: { block: 11n, app: 1n },
      chainId: this.spec.chainId,
      height,
      time: this.time(height),
      lastBlockId: last,
      lastCommitHash: height === 1 ? EMPTY : this.emptyHash,
      dataHash: this.emptyHash,
      validatorsHash: vals.hash,
      nextValidatorsHash: this.validators(height + 1).hash,
      consensusHash: this.consensusHash,
      appHash: this.spec.appHashAt?.(height) ?? EMPTY,
      lastResultsHash: this.emptyHash,
      evidenceHash: this.emptyHash,
      proposerAddress: vals.set.validators[height % vals.set.validators.length].address,
    };
  }

  /** The header hash of a height (memoized, computed in order from the last one known). */
  hash(height: number): Uint8Array {
    for (let h = this.hashes.length + 1; h <= height; h++) this.hashes[h - 1] = headerHash(this.header(h));
    return this.hashes[height - 1];
  }

  commit(height: number, header = this.header(height)): Commit {
    const { signers, set } = this.validators(height);
    const voteTime = header.time + 500_000_000n;
    const signatures: CommitSig[] = set.validators.map((v, i) => {
      const vote = this.spec.voteAt?.(height, signers[i], i) ?? 'commit';
      if (vote === 'absent') return { blockIdFlag: BlockIdFlag.Absent, validatorAddress: EMPTY, timestamp: GO_ZERO_TIME, signature: EMPTY };
      return { blockIdFlag: vote === 'nil' ? BlockIdFlag.Nil : BlockIdFlag.Commit, validatorAddress: v.address, timestamp: voteTime, signature: EMPTY };
    });
    const commit: Commit = { height, round: 0, blockId: this.blockId(headerHash(header)), signatures };
    const nilCommit: Commit = { ...commit, blockId: { hash: EMPTY, partSetHeader: { total: 0, hash: EMPTY } } };
    const forBlock = voteSignBytes(header.chainId, commit);
    const forNil = voteSignBytes(header.chainId, nilCommit);
    signatures.forEach((s, i) => {
      if (s.blockIdFlag === BlockIdFlag.Commit) s.signature = signers[i].sign(forBlock(i));
      else if (s.blockIdFlag === BlockIdFlag.Nil) s.signature = signers[i].sign(forNil(i));
    });
    return commit;
  }

  lightBlock(height: number): LightBlock {
    const header = this.header(height);
    return {
      signedHeader: { header, commit: this.commit(height, header) },
      validatorSet: this.validators(height).set,
      nextValidatorSet: this.validators(height + 1).set,
    };
  }
}
