// Hostile and broken proof bytes: every answer is false or a MalformedProof, quickly, and never
// a trap. `npm run fuzz:ics23` runs the random campaigns ICS23_FUZZ_ROUNDS (100) times longer.
import { describe, expect, it } from 'vitest';
import { createBackendSync } from '../src/core/load.js';
import {
  verifyMembership, verifyNonMembership, encodeCommitmentProof, encodeProofSpec, iavlSpec, MalformedProof, jmtSpec,
} from '../src/ics23/index.js';
import { rng } from './helpers.js';
import { jmtVectors, specOf, uncheckedRange, upstreamVectors, type Vector } from './ics23-vectors.js';

const ROUNDS = Number((typeof process === 'undefined' ? undefined : process.env.ICS23_FUZZ_ROUNDS) ?? 1);

function attempt(v: Vector, proof: Uint8Array): boolean | 'malformed' {
  try {
    const spec = specOf[v.tree];
    return v.exist ? verifyMembership(proof, spec, v.root, v.key, v.value) : verifyNonMembership(proof, spec, v.root, v.key);
  } catch (err) {
    if (err instanceof MalformedProof) return 'malformed';
    throw err;
  }
}

/** A varint as bytes. */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

const field = (num: number, payload: Uint8Array | number[]) => [(num << 3) | 2, ...varint(payload.length), ...payload];

describe('ICS23 on hostile bytes', () => {
  const v0 = upstreamVectors[0];

  it('every truncation of every vector is rejected', () => {
    for (const v of upstreamVectors) {
      for (let len = 0; len < v.proof.length; len++) {
        expect(attempt(v, v.proof.subarray(0, len)), `${v.name} cut at ${len}`).not.toBe(true);
      }
    }
  });

  it('random multi-byte corruptions of every vector are rejected', () => {
    const r = rng(99 * ROUNDS);
    for (const v of upstreamVectors) {
      const [, checkedFrom] = uncheckedRange(v);
      for (let n = 0; n < 150 * ROUNDS; n++) {
        const mutant = v.proof.slice();
        const count = 1 + r.int(4);
        for (let k = 0; k < count; k++) mutant[checkedFrom + r.int(mutant.length - checkedFrom)] ^= 1 + r.int(255);
        // Two flips of one byte can cancel out: such a "mutant" is the valid proof itself.
        if (mutant.every((b, i) => b === v.proof[i])) continue;
        expect(attempt(v, mutant), `${v.name} corruption ${n}`).not.toBe(true);
      }
    }
  });

  it('random bytes are rejected', () => {
    const r = rng(5 * ROUNDS);
    for (let n = 0; n < 500 * ROUNDS; n++) {
      expect(attempt(v0, r.bytes(r.int(600)))).not.toBe(true);
    }
  });

  it('a length far beyond the input is a malformed proof', () => {
    expect(attempt(v0, Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]))).toBe('malformed');
  });

  it('an over-long varint and group wire types are malformed', () => {
    expect(attempt(v0, Uint8Array.from([0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]))).toBe('malformed');
    expect(attempt(v0, Uint8Array.from([0x0b, 0x0c]))).toBe('malformed');
    expect(attempt(v0, Uint8Array.from([0x00, 0x00]))).toBe('malformed');
  });

  it('reports the byte offset of the problem', () => {
    try {
      verifyMembership(Uint8Array.from([0x0a, 0x02, 0x0a, 0x05]), iavlSpec, v0.root, v0.key, v0.value);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MalformedProof);
      expect((err as MalformedProof).code).toBe('MalformedProof');
      expect((err as MalformedProof).offset).toBe(2);
    }
  });

  it('a path of 100 000 inner ops is refused quickly as too many entries', () => {
    const op = field(4, [0x08, 0x01, ...field(2, [1, 2, 3, 4])]);
    const body: number[] = [...field(1, v0.key), ...field(2, v0.value), ...field(3, [0x08, 0x01])];
    for (let i = 0; i < 100_000; i++) body.push(...op);
    const proof = Uint8Array.from(field(1, body));
    expect(attempt(v0, proof)).toBe('malformed');
  });

  it('a path of 300 inner ops (within the decoder limit) fails the depth check', () => {
    const ex = { key: v0.key, value: v0.value, leaf: { hash: 1, prehashValue: 1, length: 1, prefix: Uint8Array.of(0, 2, 2) },
      path: Array.from({ length: 300 }, () => ({ hash: 1, prefix: Uint8Array.of(2, 4, 2, 0x20), suffix: new Uint8Array(33) })) };
    expect(attempt(v0, encodeCommitmentProof({ exist: ex }))).toBe(false);
  });

  it('deeply nested unknown fields are skipped without recursion', () => {
    let inner: number[] = [];
    for (let i = 0; i < 2000; i++) inner = field(15, inner);
    expect(attempt(v0, Uint8Array.from(inner))).toBe(false);
  });

  it('a huge batch of entries is walked in bounded time', () => {
    const entry = field(1, field(1, [...field(1, [9]), ...field(2, [9])]));
    const body: number[] = [];
    for (let i = 0; i < 50_000; i++) body.push(...entry);
    expect(attempt(v0, Uint8Array.from(field(3, body)))).toBe(false);
  });

  it('a oneof given twice is malformed', () => {
    const doubled = new Uint8Array([...v0.proof, ...v0.proof]);
    expect(attempt(v0, doubled)).toBe('malformed');
  });

  it('the JS core survives the same hostile inputs', () => {
    const core = createBackendSync({ backend: 'js' }).ics23;
    const spec = encodeProofSpec(jmtSpec);
    const j = jmtVectors[2];
    const r = rng(17);
    // Leave the NonExistenceProof's own key (unchecked by design) alone: 0x12 len(2) 0x0a 0x08 "notexist".
    const keyEnd = 3 + 2 + 8;
    for (let n = 0; n < 200; n++) {
      const mutant = j.nonexistProof.slice();
      mutant[keyEnd + r.int(mutant.length - keyEnd)] ^= 1 << r.int(8);
      expect(core.verifyNonMembership(mutant, spec, j.root, j.absentKey).status).not.toBe(1);
      expect(core.verifyNonMembership(j.nonexistProof.subarray(0, r.int(j.nonexistProof.length)), spec, j.root, j.absentKey).status).not.toBe(1);
    }
  });
});
