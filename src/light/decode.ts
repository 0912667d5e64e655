// Decoding light blocks from the JSON the CometBFT RPC writes (and tendermint-rs' test data
// uses): every field checked for type, encoding and size, every list for length, so hostile
// JSON becomes a LightBlockMalformed naming the field, never a crash or an unbounded
// allocation. Shape rules of CometBFT's ValidateBasic that do not depend on other blocks
// (hash sizes, address sizes, flags, height > 0) are enforced here.
import { equalBytes } from '../bytes.js';
import { LightBlockMalformed } from '../errors.js';
import { byPowerThenAddress, validatorAddress } from './encoding.js';
import { GO_ZERO_TIME, parseTime, type Nanos } from './time.js';
import {
  BlockIdFlag, type BlockId, type Commit, type CommitSig, type Header, type LightBlock, type SignedHeader,
  type Validator, type ValidatorSet,
} from './types.js';

/** CometBFT's MaxVotesCount: no validator set or commit is larger. */
export const MAX_VALIDATORS = 10_000;
/** CometBFT's MaxChainIDLen. */
export const MAX_CHAIN_ID_LENGTH = 50;
/** An app hash has no fixed size in CometBFT; this bounds what is accepted. */
export const MAX_APP_HASH_BYTES = 1024;
/** CometBFT's MaxTotalVotingPower (MaxInt64 / 8). */
export const MAX_TOTAL_VOTING_POWER = (2n ** 63n - 1n) / 8n;
const MAX_INT64 = 2n ** 63n - 1n;
const MAX_UINT64 = 2n ** 64n - 1n;
const ED25519_KEY_TYPE = 'tendermint/PubKeyEd25519';

type Json = unknown;

function fail(path: string, message: string): never {
  throw new LightBlockMalformed(path, message);
}

function object(v: Json, path: string): Record<string, Json> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
  return v as Record<string, Json>;
}

function array(v: Json, path: string, max: number): Json[] {
  if (!Array.isArray(v)) fail(path, 'expected an array');
  if (v.length > max) fail(path, `has ${v.length} entries, over the limit of ${max}`);
  return v;
}

function string(v: Json, path: string, maxLength: number): string {
  if (typeof v !== 'string') fail(path, 'expected a string');
  if (v.length > maxLength) fail(path, `is ${v.length} characters, over the limit of ${maxLength}`);
  return v;
}

/** An integer written as a decimal string (int64/uint64 in JSON) or a JSON number. */
function integer(v: Json, path: string, min: bigint, max: bigint): bigint {
  let n: bigint;
  if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) n = BigInt(v);
  else fail(path, 'expected an integer');
  if (n < min || n > max) fail(path, `${n} is outside ${min} … ${max}`);
  return n;
}

function safeInteger(v: Json, path: string, min: number): number {
  return Number(integer(v, path, BigInt(min), BigInt(Number.MAX_SAFE_INTEGER)));
}

/** Hex bytes (either case; empty string or null for none) of one of the allowed lengths, or of at most `max` bytes. */
function hexBytes(v: Json, path: string, lengths: readonly number[] | { max: number }): Uint8Array {
  if (v === null || v === undefined) v = '';
  const max = Array.isArray(lengths) ? Math.max(...lengths) : (lengths as { max: number }).max;
  const s = string(v, path, 2 * max);
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(s)) fail(path, 'expected hex digits');
  if (Array.isArray(lengths) && !lengths.includes(s.length / 2)) fail(path, `is ${s.length / 2} bytes, expected ${lengths.join(' or ')}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const HASH = [0, 32];

function base64Bytes(v: Json, path: string, maxBytes: number): Uint8Array {
  if (v === null || v === undefined) return new Uint8Array(0);
  const s = string(v, path, 4 * Math.ceil(maxBytes / 3));
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) fail(path, 'expected base64');
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function time(v: Json, path: string): Nanos {
  const t = parseTime(string(v, path, 40));
  if (t === undefined) fail(path, 'expected an RFC 3339 time between years 1 and 9999');
  return t;
}

function blockId(v: Json, path: string): BlockId {
  if (v === null || v === undefined) return { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } };
  const o = object(v, path);
  // The RPC names the part set header `parts`; tendermint-rs and the proto, `part_set_header`.
  const partsKey = o.part_set_header !== undefined ? 'part_set_header' : 'parts';
  const parts = o[partsKey] === undefined || o[partsKey] === null ? {} : object(o[partsKey], `${path}.${partsKey}`);
  return {
    hash: hexBytes(o.hash, `${path}.hash`, HASH),
    partSetHeader: {
      total: Number(integer(parts.total ?? 0, `${path}.${partsKey}.total`, 0n, 2n ** 32n - 1n)),
      hash: hexBytes(parts.hash, `${path}.${partsKey}.hash`, HASH),
    },
  };
}

function header(v: Json, path: string): Header {
  const o = object(v, path);
  const version = object(o.version, `${path}.version`);
  return {
    version: {
      block: integer(version.block, `${path}.version.block`, 0n, MAX_UINT64),
      app: integer(version.app ?? 0, `${path}.version.app`, 0n, MAX_UINT64),
    },
    chainId: string(o.chain_id, `${path}.chain_id`, MAX_CHAIN_ID_LENGTH),
    height: safeInteger(o.height, `${path}.height`, 1),
    time: time(o.time, `${path}.time`),
    lastBlockId: blockId(o.last_block_id, `${path}.last_block_id`),
    lastCommitHash: hexBytes(o.last_commit_hash, `${path}.last_commit_hash`, HASH),
    dataHash: hexBytes(o.data_hash, `${path}.data_hash`, HASH),
    validatorsHash: hexBytes(o.validators_hash, `${path}.validators_hash`, [32]),
    nextValidatorsHash: hexBytes(o.next_validators_hash, `${path}.next_validators_hash`, HASH),
    consensusHash: hexBytes(o.consensus_hash, `${path}.consensus_hash`, HASH),
    appHash: hexBytes(o.app_hash, `${path}.app_hash`, { max: MAX_APP_HASH_BYTES }),
    lastResultsHash: hexBytes(o.last_results_hash, `${path}.last_results_hash`, HASH),
    evidenceHash: hexBytes(o.evidence_hash, `${path}.evidence_hash`, HASH),
    proposerAddress: hexBytes(o.proposer_address, `${path}.proposer_address`, [20]),
  };
}

function commitSig(v: Json, path: string): CommitSig {
  const o = object(v, path);
  const flag = Number(integer(o.block_id_flag, `${path}.block_id_flag`, 1n, 3n)) as BlockIdFlag;
  const absent = flag === BlockIdFlag.Absent;
  const sig: CommitSig = {
    blockIdFlag: flag,
    validatorAddress: hexBytes(o.validator_address, `${path}.validator_address`, absent ? [0] : [20]),
    timestamp: o.timestamp === undefined || o.timestamp === null ? GO_ZERO_TIME : time(o.timestamp, `${path}.timestamp`),
    signature: base64Bytes(o.signature, `${path}.signature`, 64),
  };
  // CommitSig.ValidateBasic: an absent vote carries nothing; a present one a signature.
  if (absent && sig.signature.length !== 0) fail(`${path}.signature`, 'an absent vote carries no signature');
  if (!absent && sig.signature.length !== 64) fail(`${path}.signature`, sig.signature.length ? `an ed25519 signature is 64 bytes, got ${sig.signature.length}` : 'missing');
  return sig;
}

function commit(v: Json, path: string): Commit {
  const o = object(v, path);
  const signatures = array(o.signatures, `${path}.signatures`, MAX_VALIDATORS);
  if (signatures.length === 0) fail(`${path}.signatures`, 'no signatures in commit');
  const c: Commit = {
    height: safeInteger(o.height, `${path}.height`, 1),
    round: Number(integer(o.round, `${path}.round`, 0n, 2n ** 31n - 1n)),
    blockId: blockId(o.block_id, `${path}.block_id`),
    signatures: signatures.map((s, i) => commitSig(s, `${path}.signatures[${i}]`)),
  };
  if (c.blockId.hash.length === 0) fail(`${path}.block_id`, 'commit cannot be for a nil block');
  return c;
}

export function decodeSignedHeader(v: Json, path = 'signed_header'): SignedHeader {
  const o = object(v, path);
  return { header: header(o.header, `${path}.header`), commit: commit(o.commit, `${path}.commit`) };
}

function validator(v: Json, path: string): Validator {
  const o = object(v, path);
  const key = object(o.pub_key, `${path}.pub_key`);
  // The RPC writes amino JSON (`type` / `value`); CometBFT's proto JSON writes `{ ed25519: … }`.
  const keyType = key.type ?? (key.ed25519 !== undefined ? ED25519_KEY_TYPE : undefined);
  if (keyType !== ED25519_KEY_TYPE) fail(`${path}.pub_key.type`, `unsupported key type ${JSON.stringify(keyType)}; only ed25519 is verified`);
  const pubKey = base64Bytes(key.value ?? key.ed25519, `${path}.pub_key.value`, 32);
  if (pubKey.length !== 32) fail(`${path}.pub_key.value`, `an ed25519 key is 32 bytes, got ${pubKey.length}`);
  const address = validatorAddress(pubKey);
  if (o.address !== undefined && !equalBytes(hexBytes(o.address, `${path}.address`, [20]), address)) {
    fail(`${path}.address`, 'is not the address of the public key');
  }
  return { address, pubKey, votingPower: integer(o.voting_power, `${path}.voting_power`, 0n, MAX_INT64) };
}

/**
 * A validator set (`{ validators: [...] }`, as `/validators` and the vectors write it), sorted
 * into CometBFT's order; the proposer and priorities are not part of the hash and are ignored.
 * May be empty: the next validators of a chain's last height are (a header's own set may not).
 */
export function decodeValidatorSet(v: Json, path = 'validator_set'): ValidatorSet {
  const o = object(v, path);
  const list = array(o.validators, `${path}.validators`, MAX_VALIDATORS);
  const validators = list.map((x, i) => validator(x, `${path}.validators[${i}]`)).sort(byPowerThenAddress);
  let totalVotingPower = 0n;
  for (let i = 0; i < validators.length; i++) {
    totalVotingPower += validators[i].votingPower;
    if (i > 0 && equalBytes(validators[i - 1].address, validators[i].address)) {
      fail(`${path}.validators`, 'the same validator appears twice');
    }
  }
  if (totalVotingPower > MAX_TOTAL_VOTING_POWER) fail(`${path}.validators`, `total voting power is over ${MAX_TOTAL_VOTING_POWER}`);
  return { validators, totalVotingPower };
}

const decoded = new WeakSet<object>();

/**
 * A light block from JSON: `{ signed_header, validator_set, next_validator_set }` (snake or
 * camel case at the top level; inside, the RPC's field names). A block already decoded is
 * returned as it is.
 */
export function decodeLightBlock(v: Json, path = 'light block'): LightBlock {
  if (typeof v === 'object' && v !== null && decoded.has(v)) return v as LightBlock;
  const o = object(v, path);
  const pick = (snake: string, camel: string) => (o[snake] !== undefined ? [o[snake], snake] : [o[camel], camel]) as [Json, string];
  const [sh, shKey] = pick('signed_header', 'signedHeader');
  const [vs, vsKey] = pick('validator_set', 'validatorSet');
  const [nvs, nvsKey] = pick('next_validator_set', 'nextValidatorSet');
  const block: LightBlock = {
    signedHeader: decodeSignedHeader(sh, `${path}.${shKey}`),
    validatorSet: vs == null ? undefined : decodeValidatorSet(vs, `${path}.${vsKey}`),
    nextValidatorSet: nvs == null ? undefined : decodeValidatorSet(nvs, `${path}.${nvsKey}`),
  };
  decoded.add(block);
  return block;
}
