// One step of light-client verification: is `untrusted` to be believed, given `trusted`?
// The rules are CometBFT's light/verifier.go (VerifyAdjacent, VerifyNonAdjacent) and
// types/validation.go, with tendermint-rs' up-front commit checks; SPECS §11.
import { equalBytes } from '../bytes.js';
import { ed25519VerifyBatch } from '../core/ed25519.js';
import { InvalidArgument, LightBlockMalformed } from '../errors.js';
import { toHexUpper } from '../hex.js';
import { CommitSignatures, type BatchVerifier, type TallyResult } from './commit.js';
import { decodeLightBlock } from './decode.js';
import { headerHash, validatorSetHash } from './encoding.js';
import { fromMillis, formatTime, parseTime, type Nanos } from './time.js';
import { BlockIdFlag, type LightBlock, type SignedHeader, type ValidatorSet } from './types.js';

/** The block protocol version this client verifies (version.BlockProtocol). */
export const BLOCK_PROTOCOL = 11n;

export interface TrustLevel {
  numerator: number;
  denominator: number;
}

export const DEFAULT_TRUST_LEVEL: TrustLevel = Object.freeze({ numerator: 1, denominator: 3 });
export const DEFAULT_CLOCK_DRIFT_MS = 10_000;

/** A point in time: a Date, milliseconds since the epoch, or an RFC 3339 string (nanosecond precision). */
export type TimeInput = Date | number | string;

export interface VerifyOptions {
  /** Fraction of the trusted validators' power that must sign a non-adjacent header; within [1/3, 1]. Default 1/3. */
  trustLevel?: TrustLevel;
  /** How long a verified header stays trusted (well under the chain's unbonding period). */
  trustingPeriodMs: number;
  /** How far in the future a header's time may be. Default 10 s. */
  clockDriftMs?: number;
  /** The current time. Default: now. */
  now?: TimeInput;
  /** The ed25519 verifier. Default: the core's ZIP-215 batch verifier. */
  verifier?: BatchVerifier;
}

export type Verdict = 'SUCCESS' | 'NOT_ENOUGH_TRUST' | 'INVALID';

/** Which rule a header broke. */
export type VerifyFailure =
  | 'malformed' | 'trusted-expired' | 'wrong-chain' | 'wrong-version' | 'header-commit-mismatch'
  | 'height-not-increasing' | 'time-not-increasing' | 'header-from-future' | 'validators-hash-mismatch'
  | 'next-validators-hash-mismatch' | 'validators-not-next' | 'commit-size-mismatch' | 'signer-mismatch'
  | 'duplicate-vote' | 'no-votes' | 'invalid-signature' | 'not-enough-trust' | 'not-enough-power';

export interface VerifyResult {
  verdict: Verdict;
  /** What failed, for anything but SUCCESS. */
  reason?: string;
  failure?: VerifyFailure;
  /** The power that signed the untrusted header, of its validator set's total (counted until enough). */
  power?: { signed: bigint; total: bigint };
}

/** Time as nanoseconds since the epoch. */
export function toNanos(t: TimeInput, what: string): Nanos {
  if (t instanceof Date) t = t.getTime();
  if (typeof t === 'number') {
    if (!Number.isFinite(t)) throw new InvalidArgument(`${what} must be a finite number of milliseconds`);
    return fromMillis(t);
  }
  const ns = typeof t === 'string' ? parseTime(t) : undefined;
  if (ns === undefined) throw new InvalidArgument(`${what} must be a Date, milliseconds or an RFC 3339 time`);
  return ns;
}

function durationNanos(ms: unknown, what: string): Nanos {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new InvalidArgument(`${what} must be a non-negative number of milliseconds`);
  const whole = Math.trunc(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}

/** light.ValidateTrustLevel: within [1/3, 1]. */
export function checkTrustLevel(level: TrustLevel): { numerator: bigint; denominator: bigint } {
  const { numerator: n, denominator: d } = level ?? {};
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || d <= 0 || n < 0 || n * 3 < d || n > d) {
    throw new InvalidArgument(`trustLevel must be a fraction within [1/3, 1], got ${JSON.stringify(level)}`);
  }
  return { numerator: BigInt(n), denominator: BigInt(d) };
}

/** Resolved options, checked once (the light client verifies many headers with the same ones). */
export interface Settings {
  trust: { numerator: bigint; denominator: bigint };
  trustingPeriod: Nanos;
  clockDrift: Nanos;
  verifier: BatchVerifier;
}

export function settings(options: Omit<VerifyOptions, 'now'>): Settings {
  if (typeof options !== 'object' || options === null) throw new InvalidArgument('options must be an object');
  const verifier = options.verifier ?? ed25519VerifyBatch;
  if (typeof verifier !== 'function') throw new InvalidArgument('options.verifier must be a function');
  return {
    trust: checkTrustLevel(options.trustLevel ?? DEFAULT_TRUST_LEVEL),
    trustingPeriod: durationNanos(options.trustingPeriodMs, 'options.trustingPeriodMs'),
    clockDrift: durationNanos(options.clockDriftMs ?? DEFAULT_CLOCK_DRIFT_MS, 'options.clockDriftMs'),
    verifier,
  };
}

/** light.HeaderExpired: the trusted header's time plus the trusting period is not after `now`. */
export function headerExpired(sh: SignedHeader, trustingPeriod: Nanos, now: Nanos): boolean {
  return !(sh.header.time + trustingPeriod > now);
}

const invalid = (failure: VerifyFailure, reason: string): VerifyResult => ({ verdict: 'INVALID', failure, reason });
const hex = toHexUpper;

/** The trusted block's validator set that vouches for later headers: its next set (else its own), checked against its header. */
function trustedValidators(trusted: LightBlock): ValidatorSet {
  const { header } = trusted.signedHeader;
  const [set, expected, name] = trusted.nextValidatorSet
    ? [trusted.nextValidatorSet, header.nextValidatorsHash, 'next validator set']
    : [trusted.validatorSet, header.validatorsHash, 'validator set'];
  if (!set) throw new InvalidArgument('the trusted light block needs its next validator set (or its validator set)');
  if (!equalBytes(validatorSetHash(set.validators), expected)) {
    throw new InvalidArgument(`the trusted light block's ${name} does not match its header at height ${header.height}`);
  }
  return set;
}

/** The checks of a signed header on its own and against its validator sets (ValidateBasic, verifyNewHeaderAndVals). */
function checkUntrusted(block: LightBlock, chainId: string): VerifyResult | undefined {
  const { header, commit } = block.signedHeader;
  if (header.version.block !== BLOCK_PROTOCOL) {
    return invalid('wrong-version', `block protocol is ${header.version.block}, expected ${BLOCK_PROTOCOL}`);
  }
  if (header.chainId !== chainId) return invalid('wrong-chain', `header belongs to chain ${JSON.stringify(header.chainId)}, not ${JSON.stringify(chainId)}`);
  if (commit.height !== header.height) {
    return invalid('header-commit-mismatch', `commit is for height ${commit.height}, the header is at ${header.height}`);
  }
  const hash = headerHash(header);
  if (!equalBytes(hash, commit.blockId.hash)) {
    return invalid('header-commit-mismatch', `commit signs block ${hex(commit.blockId.hash)}, the header hashes to ${hex(hash)}`);
  }
  const vals = block.validatorSet;
  if (!vals || vals.validators.length === 0) return invalid('malformed', 'the light block has no validators');
  if (!equalBytes(validatorSetHash(vals.validators), header.validatorsHash)) {
    return invalid('validators-hash-mismatch', `the validator set does not hash to the header's validators hash ${hex(header.validatorsHash)}`);
  }
  if (block.nextValidatorSet && !equalBytes(validatorSetHash(block.nextValidatorSet.validators), header.nextValidatorsHash)) {
    return invalid('next-validators-hash-mismatch', `the next validator set does not hash to the header's next validators hash ${hex(header.nextValidatorsHash)}`);
  }
  // A commit has one slot per validator, in the set's order (VerifyCommitLight looks signers up by index).
  if (commit.signatures.length !== vals.validators.length) {
    return invalid('commit-size-mismatch', `commit has ${commit.signatures.length} signatures for ${vals.validators.length} validators`);
  }
  let votes = 0;
  for (const [i, sig] of commit.signatures.entries()) {
    if (sig.blockIdFlag === BlockIdFlag.Absent) continue;
    votes++;
    if (!equalBytes(sig.validatorAddress, vals.validators[i].address)) {
      return invalid('signer-mismatch', `signature ${i} is from ${hex(sig.validatorAddress)}, validator ${i} of height ${header.height} is ${hex(vals.validators[i].address)}`);
    }
  }
  if (votes === 0) return invalid('no-votes', 'the commit holds no votes');
  return undefined;
}

function tallyFailure(t: Exclude<TallyResult, { ok: true }>, whose: string): VerifyResult {
  if (t.problem !== 'not-enough-power') {
    return invalid(t.problem, t.problem === 'invalid-signature'
      ? `signature ${t.index} of the commit does not verify` : `signature ${t.index} is a second vote by the same validator`);
  }
  return invalid('not-enough-power', `${whose} signed ${t.tallied} of ${t.total} voting power, needed more than ${t.needed}`);
}

/**
 * Verifies `untrusted` against `trusted` with resolved settings; `trusted` and `untrusted` are
 * decoded light blocks. Adjacent headers (height + 1) need their validators to be the trusted
 * next validators and > 2/3 of them to sign; non-adjacent ones need signers holding more than
 * the trust level of the trusted validators' power (else NOT_ENOUGH_TRUST: verify a header in
 * between first), then > 2/3 of their own validators.
 */
export function verifyDecoded(trusted: LightBlock, untrusted: LightBlock, s: Settings, now: Nanos): VerifyResult {
  const th = trusted.signedHeader.header;
  const uh = untrusted.signedHeader.header;
  const adjacent = uh.height === th.height + 1;
  const trustedVals = adjacent ? undefined : trustedValidators(trusted);
  if (headerExpired(trusted.signedHeader, s.trustingPeriod, now)) {
    return invalid('trusted-expired', `the trusted header (height ${th.height}) expired at ${formatTime(th.time + s.trustingPeriod)}`);
  }
  const basic = checkUntrusted(untrusted, th.chainId);
  if (basic) return basic;
  if (uh.height <= th.height) return invalid('height-not-increasing', `header height ${uh.height} is not above the trusted ${th.height}`);
  if (!(uh.time > th.time)) {
    return invalid('time-not-increasing', `header time ${formatTime(uh.time)} is not after the trusted ${formatTime(th.time)}`);
  }
  if (!(uh.time < now + s.clockDrift)) {
    return invalid('header-from-future', `header time ${formatTime(uh.time)} is beyond now (${formatTime(now)}) plus the clock drift`);
  }
  if (adjacent && !equalBytes(uh.validatorsHash, th.nextValidatorsHash)) {
    return invalid('validators-not-next', `header validators ${hex(uh.validatorsHash)} are not the trusted next validators ${hex(th.nextValidatorsHash)}`);
  }
  const signatures = new CommitSignatures(th.chainId, untrusted.signedHeader.commit, s.verifier);
  if (trustedVals) {
    const trust = signatures.tally(trustedVals, s.trust.numerator, s.trust.denominator);
    if (!trust.ok) {
      const failed = tallyFailure(trust, `the validators trusted at height ${th.height}`);
      return failed.failure === 'not-enough-power' ? { ...failed, verdict: 'NOT_ENOUGH_TRUST', failure: 'not-enough-trust' } : failed;
    }
  }
  const own = signatures.tally(untrusted.validatorSet!, 2n, 3n);
  if (!own.ok) return tallyFailure(own, `the validators of height ${uh.height}`);
  return { verdict: 'SUCCESS', power: { signed: own.tallied, total: own.total } };
}

/**
 * Whether a block is consistent and signed by more than 2/3 of its own validators — what a
 * trust root fetched by height and hash must be before it is trusted.
 */
export function verifySelfSigned(block: LightBlock, s: Settings): VerifyResult {
  const basic = checkUntrusted(block, block.signedHeader.header.chainId);
  if (basic) return basic;
  const own = new CommitSignatures(block.signedHeader.header.chainId, block.signedHeader.commit, s.verifier).tally(block.validatorSet!, 2n, 3n);
  if (!own.ok) return tallyFailure(own, `the validators of height ${block.signedHeader.header.height}`);
  return { verdict: 'SUCCESS', power: { signed: own.tallied, total: own.total } };
}

/**
 * Verifies the untrusted light block against the trusted one (both in the CometBFT RPC JSON
 * shape, or decoded by `decodeLightBlock`). Malformed untrusted data is INVALID; a malformed
 * trusted block or bad options throw.
 */
export function verifyLightBlock(trusted: unknown, untrusted: unknown, options: VerifyOptions): VerifyResult {
  const s = settings(options);
  const now = toNanos(options.now ?? Date.now(), 'options.now');
  const t = decodeLightBlock(trusted, 'trusted');
  let u: LightBlock;
  try {
    u = decodeLightBlock(untrusted, 'untrusted');
  } catch (err) {
    if (err instanceof LightBlockMalformed) return invalid('malformed', err.message);
    throw err;
  }
  return verifyDecoded(t, u, s, now);
}
