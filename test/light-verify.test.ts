// verifyLightBlock on generated chains and their mutations, and the encodings against
// CometBFT's own test vectors (types/block_test.go, types/vote_test.go).
import { describe, expect, it } from 'vitest';
import { InvalidArgument } from '../src/errors.js';
import {
  decodeLightBlock, verifyLightBlock, type VerifyOptions,
} from '../src/light/index.js';
import { headerHash, voteSignBytes } from '../src/light/encoding.js';
import { formatTime, parseTime } from '../src/light/time.js';
import { lightBlockJson } from '../src/light/json.js';
import { BlockIdFlag, type Commit, type Header } from '../src/light/types.js';
import { chain, devValidator, timeOf, validators } from './light-chain.js';
import { nobleVerifier } from './light-oracle.js';
import { fromHex, hex, oracleSha256 } from './helpers.js';

const sha = (s: string) => oracleSha256(new TextEncoder().encode(s));
type Json = ReturnType<typeof lightBlockJson>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe('encodings', () => {
  it('header hash: CometBFT TestHeaderHash', async () => {
    const h: Header = {
      version: { block: 1n, app: 2n }, chainId: 'chainId', height: 3, time: parseTime('2019-10-13T16:14:44Z')!,
      lastBlockId: { hash: new Uint8Array(32), partSetHeader: { total: 6, hash: new Uint8Array(32) } },
      lastCommitHash: await sha('last_commit_hash'), dataHash: await sha('data_hash'),
      validatorsHash: await sha('validators_hash'), nextValidatorsHash: await sha('next_validators_hash'),
      consensusHash: await sha('consensus_hash'), appHash: await sha('app_hash'),
      lastResultsHash: await sha('last_results_hash'), evidenceHash: await sha('evidence_hash'),
      proposerAddress: (await sha('proposer_address')).slice(0, 20),
    };
    expect(hex(headerHash(h))).toBe('f740121f553b5418c3efbd343c2dbfe9e007bb67b0d020a0741374bab65242a4');
  });

  it('vote sign bytes: CometBFT TestVoteSignBytesTestVectors #1 (precommit, zero time, nil block)', () => {
    const commit: Commit = {
      height: 1, round: 1, blockId: { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } },
      signatures: [{ blockIdFlag: BlockIdFlag.Nil, validatorAddress: new Uint8Array(20), timestamp: parseTime('0001-01-01T00:00:00Z')!, signature: new Uint8Array(64) }],
    };
    expect(hex(voteSignBytes('', commit)(0))).toBe(
      '21' + '0802' + '110100000000000000' + '190100000000000000' + '2a0b088092b8c398feffffff01');
  });

  it('times: RFC 3339 with nanoseconds, offsets, Go zero time; impossible dates refused', () => {
    expect(parseTime('1970-01-01T00:00:01.5Z')).toBe(1_500_000_000n);
    expect(parseTime('1970-01-01T01:00:00+01:00')).toBe(0n);
    expect(formatTime(parseTime('2020-11-18T12:36:18.160570297Z')!)).toBe('2020-11-18T12:36:18.160570297Z');
    expect(formatTime(parseTime('0001-01-01T00:00:00Z')!)).toBe('0001-01-01T00:00:00Z');
    expect(formatTime(parseTime('2024-02-29T23:59:59.1Z')!)).toBe('2024-02-29T23:59:59.1Z');
    for (const bad of ['2023-02-29T00:00:00Z', '0000-12-31T23:59:59Z', '2020-13-01T00:00:00Z', '2020-01-01T24:00:00Z',
      '2020-01-01 00:00:00Z', '2020-01-01T00:00:00.1234567890Z', '2020-01-01T00:00:00']) {
      expect(parseTime(bad), bad).toBeUndefined();
    }
    // Against Date, over a spread of instants.
    for (let ms = -5e12; ms < 5e12; ms += 123456789012) {
      expect(parseTime(new Date(ms).toISOString())).toBe(BigInt(ms) * 1_000_000n);
      expect(formatTime(BigInt(ms) * 1_000_000n)).toBe(new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z').replace(/:(\d\d)Z$/, ':$1Z'));
    }
  });

  it('a generated light block survives JSON and back; addresses are SHA-256(key)[:20]', async () => {
    const c = chain({ validatorsAt: () => vals4 });
    const block = c.lightBlock(3);
    const again = decodeLightBlock(clone(lightBlockJson(block)));
    expect(lightBlockJson(again)).toEqual(lightBlockJson(block));
    expect(hex(headerHash(again.signedHeader.header))).toBe(hex(again.signedHeader.commit.blockId.hash));
    for (const v of again.validatorSet!.validators) expect(hex(v.address)).toBe(hex((await oracleSha256(v.pubKey)).slice(0, 20)));
  });
});

const vals4 = validators('a', 4);
const options = (height: number, extra: Partial<VerifyOptions> = {}): VerifyOptions => ({
  trustingPeriodMs: 3600_000, now: timeOf(height) + 5000, verifier: nobleVerifier, ...extra,
});

describe('verifyLightBlock on generated chains', () => {
  const swapAt = 20;
  const rotating = chain({
    validatorsAt: (h) => (h < 10 ? vals4 : h < swapAt ? rotated : swapped),
    appHashAt: (h) => fromHex(h.toString(16).padStart(64, '0')),
  });
  // Three of the four first validators stay, one is replaced: trust carries over non-adjacent.
  const rotated = [...vals4.slice(0, 3), devValidator('b-0')];
  const swapped = validators('c', 4);
  const trusted = lightBlockJson(rotating.lightBlock(1));
  const verify = (t: unknown, u: unknown, o: Partial<VerifyOptions> = {}) => verifyLightBlock(t, u, options(30, o));

  it('adjacent, non-adjacent, and across a rotation: SUCCESS', () => {
    expect(verify(trusted, lightBlockJson(rotating.lightBlock(2)))).toMatchObject({ verdict: 'SUCCESS' });
    expect(verify(trusted, lightBlockJson(rotating.lightBlock(9)))).toMatchObject({ verdict: 'SUCCESS' });
    const r = verify(trusted, lightBlockJson(rotating.lightBlock(15)));
    expect(r).toMatchObject({ verdict: 'SUCCESS', power: { total: 40n } });
    expect(r.power!.signed).toBeGreaterThan(26n);
  });

  it('a full validator swap: NOT_ENOUGH_TRUST from before it, SUCCESS from a header just before it', () => {
    expect(verify(trusted, lightBlockJson(rotating.lightBlock(25)))).toMatchObject({ verdict: 'NOT_ENOUGH_TRUST', failure: 'not-enough-trust' });
    const before = lightBlockJson(rotating.lightBlock(swapAt - 1));
    expect(verify(before, lightBlockJson(rotating.lightBlock(swapAt)))).toMatchObject({ verdict: 'SUCCESS' });
    expect(verify(lightBlockJson(rotating.lightBlock(swapAt)), lightBlockJson(rotating.lightBlock(25)))).toMatchObject({ verdict: 'SUCCESS' });
  });

  it('an expired trusted header, a header from the future, going back in height: INVALID', () => {
    const b = lightBlockJson(rotating.lightBlock(5));
    expect(verify(trusted, b, { trustingPeriodMs: 1000, now: timeOf(5) })).toMatchObject({ verdict: 'INVALID', failure: 'trusted-expired' });
    // Expiry is exclusive: trusted time + period == now has expired.
    expect(verify(trusted, b, { trustingPeriodMs: 4000, now: timeOf(5) })).toMatchObject({ failure: 'trusted-expired' });
    expect(verify(trusted, b, { trustingPeriodMs: 4001, now: timeOf(5) })).toMatchObject({ verdict: 'SUCCESS' });
    expect(verify(trusted, b, { now: timeOf(5) - 10_000 })).toMatchObject({ verdict: 'INVALID', failure: 'header-from-future' });
    expect(verify(trusted, b, { now: timeOf(5) - 9_999 })).toMatchObject({ verdict: 'SUCCESS' });
    expect(verify(b, trusted)).toMatchObject({ verdict: 'INVALID', failure: 'height-not-increasing' });
  });

  describe('mutations of a valid block', () => {
    const good = lightBlockJson(rotating.lightBlock(12));
    const mutate = (f: (b: Json) => void) => {
      const b = clone(good);
      f(b);
      return verify(trusted, b);
    };
    it('unmutated: SUCCESS', () => expect(verify(trusted, good)).toMatchObject({ verdict: 'SUCCESS' }));
    it('a flipped signature bit', () => {
      for (let i = 0; i < 3; i++) {
        expect(mutate((b) => {
          const sig = Uint8Array.from(atob(b.signed_header.commit.signatures[i].signature!), (ch) => ch.charCodeAt(0));
          sig[i * 7] ^= 1 << i;
          b.signed_header.commit.signatures[i].signature = btoa(String.fromCharCode(...sig));
        })).toMatchObject({ verdict: 'INVALID', failure: 'invalid-signature' });
      }
    });
    it('a changed app hash', () => {
      expect(mutate((b) => { b.signed_header.header.app_hash = 'AB'.repeat(32); })).toMatchObject({ verdict: 'INVALID', failure: 'header-commit-mismatch' });
    });
    it('a reordered validator list is the same set; reordered commit signatures are not', () => {
      expect(mutate((b) => b.validator_set!.validators.reverse())).toMatchObject({ verdict: 'SUCCESS' });
      expect(mutate((b) => b.signed_header.commit.signatures.reverse())).toMatchObject({ verdict: 'INVALID', failure: 'signer-mismatch' });
      expect(mutate((b) => { b.validator_set!.validators[0].voting_power = '11'; })).toMatchObject({ verdict: 'INVALID', failure: 'validators-hash-mismatch' });
    });
    it('a vote for another block', () => {
      const other = lightBlockJson(rotating.lightBlock(13));
      expect(mutate((b) => { b.signed_header.commit.signatures[1].signature = other.signed_header.commit.signatures[1].signature; }))
        .toMatchObject({ verdict: 'INVALID', failure: 'invalid-signature' });
      expect(mutate((b) => { b.signed_header.commit.block_id = other.signed_header.commit.block_id; }))
        .toMatchObject({ verdict: 'INVALID', failure: 'header-commit-mismatch' });
    });
    it('missing signatures: 3 of 4 is over 2/3, 2 of 4 is not', () => {
      const absent = { block_id_flag: BlockIdFlag.Absent, validator_address: '', timestamp: '0001-01-01T00:00:00Z', signature: null };
      expect(mutate((b) => { b.signed_header.commit.signatures[3] = absent; })).toMatchObject({ verdict: 'SUCCESS' });
      expect(mutate((b) => { b.signed_header.commit.signatures[2] = absent; b.signed_header.commit.signatures[3] = absent; }))
        .toMatchObject({ verdict: 'INVALID', failure: 'not-enough-power' });
      // A nil vote counts for nothing either.
      expect(mutate((b) => { b.signed_header.commit.signatures[2].block_id_flag = BlockIdFlag.Nil; b.signed_header.commit.signatures[3] = absent; }))
        .toMatchObject({ verdict: 'INVALID', failure: 'not-enough-power' });
    });
    it('a header from another chain id, validly signed', () => {
      const other = chain({ chainId: 'other-chain', validatorsAt: rotating.spec.validatorsAt });
      expect(verify(trusted, lightBlockJson(other.lightBlock(12)))).toMatchObject({ verdict: 'INVALID', failure: 'wrong-chain' });
    });
    it('malformed fields are INVALID naming the field', () => {
      const r = mutate((b) => { (b.signed_header.header as Record<string, unknown>).height = 'twelve'; });
      expect(r).toMatchObject({ verdict: 'INVALID', failure: 'malformed' });
      expect(r.reason).toContain('signed_header.header.height');
      expect(mutate((b) => { b.validator_set!.validators[0].address = 'AA'.repeat(20); })).toMatchObject({ failure: 'malformed' });
      expect(mutate((b) => { b.signed_header.commit.signatures = []; })).toMatchObject({ failure: 'malformed' });
      expect(mutate((b) => { b.signed_header.header.version.block = '10'; })).toMatchObject({ failure: 'wrong-version' });
      expect(verify(trusted, null)).toMatchObject({ failure: 'malformed' });
      expect(verify(trusted, { signed_header: { header: [], commit: 1 } })).toMatchObject({ failure: 'malformed' });
    });
  });

  it('integer thresholds: strictly more than total * 2/3 and total * trust level', () => {
    const three = validators('t', 3, 1);
    const votes = { n: 3 };
    const c = chain({ validatorsAt: () => three, voteAt: (_h, _v, i) => (i < votes.n ? 'commit' : 'absent') });
    const t = lightBlockJson(c.lightBlock(1));
    votes.n = 2; // 2 of 3: not more than 3*2/3 = 2
    expect(verify(t, lightBlockJson(c.lightBlock(2)))).toMatchObject({ failure: 'not-enough-power' });
    votes.n = 1; // non-adjacent: 1 of 3 is not more than 3*1/3 = 1
    expect(verify(t, lightBlockJson(c.lightBlock(5)))).toMatchObject({ verdict: 'NOT_ENOUGH_TRUST' });
    votes.n = 3;
    expect(verify(t, lightBlockJson(c.lightBlock(5)))).toMatchObject({ verdict: 'SUCCESS' });
    expect(verify(t, lightBlockJson(c.lightBlock(5)), { trustLevel: { numerator: 2, denominator: 3 } })).toMatchObject({ verdict: 'SUCCESS' });
    // A trust level of 1 needs more than all the power: never reached (as upstream).
    expect(verify(t, lightBlockJson(c.lightBlock(5)), { trustLevel: { numerator: 1, denominator: 1 } })).toMatchObject({ verdict: 'NOT_ENOUGH_TRUST' });
  });

  it('trust level outside [1/3, 1] and bad options are refused', () => {
    const b = lightBlockJson(rotating.lightBlock(5));
    for (const trustLevel of [{ numerator: 1, denominator: 4 }, { numerator: 4, denominator: 3 }, { numerator: 1, denominator: 0 }]) {
      expect(() => verify(trusted, b, { trustLevel })).toThrow(InvalidArgument);
    }
    expect(() => verify(trusted, b, { trustingPeriodMs: -1 })).toThrow(InvalidArgument);
    expect(() => verify(trusted, b, { now: 'yesterday' })).toThrow(InvalidArgument);
  });
});
