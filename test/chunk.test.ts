import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { createBackendSync } from '../src/core/load.js';
import type { Backend, BackendKind } from '../src/core/backend.js';
import type { ChunkClaim } from '../src/core/chunk.js';
import { chunkVerdict, layoutFailure } from '../src/core/status.js';
import { decodeChunk, encodeChunk, MAX_KEY_LENGTH, spliceChunk, type KeyValue } from '../src/format/chunk.js';
import { RangeProofBuilder } from '../src/tree/range/builder.js';
import { InvalidArgument } from '../src/errors.js';
import { concat, hex, rng } from './helpers.js';
import { refCompare } from './jmt-reference.js';
import { packLeaves } from './jmt-fixtures.js';

const KINDS: BackendKind[] = ['wasm-simd', 'wasm-scalar', 'js'];
const cores = KINDS.map((kind) => createBackendSync({ backend: kind }));

function randomEntries(seed: number, n: number): KeyValue[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => ({ key: r.bytes(1 + r.int(40)), value: r.bytes(r.int(r.int(8) === 0 ? 3000 : 120)) }));
}

/**
 * The chunk-file rules of docs/FORMAT.md, written from the text: magic "LSC1", u32le n, n key
 * lengths, n value lengths, keys, values; keys of 1..maxKey bytes; n ≤ maxLeaves; the lengths
 * add up to the file exactly. Returns the entries, or null when the bytes break a rule.
 */
function refDecode(bytes: Uint8Array, maxLeaves: number, maxKey = MAX_KEY_LENGTH): KeyValue[] | null {
  if (bytes.length < 8 || hex(bytes.subarray(0, 4)) !== '4c534331') return null;
  const u32 = (at: number) => bytes[at] + bytes[at + 1] * 256 + bytes[at + 2] * 65536 + bytes[at + 3] * 16777216;
  const n = u32(4);
  if (n > maxLeaves || 8 + 8 * n > bytes.length) return null;
  const keyLens = Array.from({ length: n }, (_, i) => u32(8 + 4 * i));
  const valueLens = Array.from({ length: n }, (_, i) => u32(8 + 4 * n + 4 * i));
  if (keyLens.some((k) => k === 0 || k > maxKey)) return null;
  const total = 8 + 8 * n + keyLens.reduce((a, b) => a + b, 0) + valueLens.reduce((a, b) => a + b, 0);
  if (total !== bytes.length) return null;
  let k = 8 + 8 * n;
  let v = k + keyLens.reduce((a, b) => a + b, 0);
  return keyLens.map((kl, i) => {
    const e = { key: bytes.subarray(k, k + kl), value: bytes.subarray(v, v + valueLens[i]) };
    k += kl;
    v += valueLens[i];
    return e;
  });
}

/** A small checkpoint's chunks, built from entries hashed by @noble/hashes. */
function sampleChunks(seed: number, n: number) {
  const r = rng(seed);
  const entries = randomEntries(seed, n)
    .map((e) => ({ ...e, keyHash: sha256(e.key), valueHash: sha256(e.value) }))
    .sort((a, b) => refCompare(a.keyHash, b.keyHash));
  const b = new RangeProofBuilder();
  entries.forEach((e, i) => {
    b.add(e.keyHash, e.valueHash);
    if (i < entries.length - 1 && r.int(6) === 0) b.endChunk();
  });
  const { root, chunks } = b.finish();
  return chunks.map((c) => {
    const mine = entries.slice(c.first, c.first + c.count);
    const claim: ChunkClaim = {
      leaves: c.count, maxKeyLength: MAX_KEY_LENGTH, root, lo: c.lo, hi: c.hi, proof: c.proof, proofDigest: sha256(c.proof),
    };
    return { bytes: encodeChunk(mine), claim, leaves: mine };
  });
}

/** The status verification must give, from the oracle decoder and the core's range verifier. */
function expectedVerdict(core: Backend, bytes: Uint8Array, claim: ChunkClaim): string {
  if (hex(sha256(claim.proof)) !== hex(claim.proofDigest)) return 'proof-digest';
  const entries = refDecode(bytes, claim.leaves, claim.maxKeyLength);
  if (!entries) return 'layout';
  if (entries.length !== claim.leaves) return 'leaf-count';
  const packed = packLeaves(entries.map((e) => ({ keyHash: sha256(e.key), valueHash: sha256(e.value) })));
  return core.jmt.verifyRange(claim.root, claim.lo, claim.hi, packed, claim.proof) === 0 ? 'ok' : 'range';
}

describe.each(KINDS.map((kind, i) => [kind, cores[i]] as const))('chunks on the %s core', (_kind, core) => {
  it('verifies honest chunks in one call, returning their layout and leaf hashes', () => {
    for (const { bytes, claim, leaves } of sampleChunks(3, 300)) {
      expect(core.chunk.verify(bytes, claim)).toBe(0);
      const got = core.chunk.verifyAndDecode(bytes, claim);
      if (typeof got === 'number') throw new Error(`status ${got}`);
      expect(hex(got.hashes)).toBe(hex(packLeaves(leaves)));
      for (let i = 0; i < leaves.length; i++) {
        expect(hex(bytes.subarray(got.keys[i], got.keys[i + 1]))).toBe(hex(leaves[i].key));
        expect(hex(bytes.subarray(got.values[i], got.values[i + 1]))).toBe(hex(leaves[i].value));
      }
    }
  });

  it('decodes exactly what the format rules accept, on truncations and corrupted tables', () => {
    const bytes = encodeChunk(randomEntries(4, 30));
    const r = rng(77);
    const cases: Uint8Array[] = [concat(bytes, new Uint8Array(1))];
    for (let cut = 0; cut < bytes.length; cut += 7) cases.push(bytes.subarray(0, cut));
    for (let i = 0; i < 400; i++) {
      const bad = bytes.slice();
      bad[r.int(8 + 30 * 8)] ^= 1 << r.int(8);
      cases.push(bad);
    }
    const emptyKey = bytes.slice();
    emptyKey.set([0, 0, 0, 0], 8);
    cases.push(emptyKey);
    for (const c of cases) {
      for (const [maxLeaves, maxKey] of [[100, MAX_KEY_LENGTH], [29, MAX_KEY_LENGTH], [100, 3]]) {
        const want = refDecode(c, maxLeaves, maxKey);
        const got = core.chunk.decode(c, { maxLeaves, maxKeyLength: maxKey });
        if (want === null) {
          expect(typeof got, `${c.length} bytes`).toBe('number');
          expect(layoutFailure(got as number)).toBeDefined();
        } else {
          if (typeof got === 'number') throw new Error(`refused a valid chunk: ${layoutFailure(got)}`);
          expect(got.count).toBe(want.length);
          want.forEach((e, i) => expect(hex(c.subarray(got.keys[i], got.keys[i + 1]))).toBe(hex(e.key)));
        }
      }
    }
  });

  it('refuses every tampering with the verdict the oracle expects', () => {
    const r = rng(99);
    const chunks = sampleChunks(8, 120);
    let tried = 0;
    for (const [i, { bytes, claim }] of chunks.entries()) {
      const other = chunks[(i + 1) % chunks.length];
      const flipped = (b: Uint8Array) => {
        const c = b.slice();
        c[r.int(c.length)] ^= 1 << r.int(8);
        return c;
      };
      const badProof = flipped(claim.proof);
      const cases: Array<[Uint8Array, ChunkClaim]> = [
        [flipped(bytes), claim], [flipped(bytes), claim], [bytes.subarray(0, bytes.length - 1), claim],
        [concat(bytes, new Uint8Array([0])), claim], [bytes, { ...claim, proofDigest: flipped(claim.proofDigest) }],
        [bytes, { ...claim, proof: badProof, proofDigest: sha256(badProof) }], [bytes, { ...claim, root: flipped(claim.root) }],
        [bytes, { ...claim, leaves: claim.leaves + 1 }], [bytes, { ...claim, leaves: Math.max(0, claim.leaves - 1) }],
        [other.bytes, { ...claim, leaves: other.claim.leaves }],
      ];
      for (const [b, c] of cases) {
        const status = core.chunk.verify(b, c);
        if (hex(b) === hex(bytes) && c === claim) continue;
        tried++;
        expect(chunkVerdict(status).kind).toBe(expectedVerdict(core, b, c));
        expect(status).not.toBe(0);
      }
    }
    expect(tried).toBeGreaterThan(50);
  });
});

describe('the three cores', () => {
  it('return identical statuses for the same tampered chunks', () => {
    const r = rng(5);
    for (const { bytes, claim } of sampleChunks(11, 200)) {
      for (let t = 0; t < 6; t++) {
        const b = bytes.slice();
        if (t > 0) b[r.int(b.length)] ^= 1 << r.int(8);
        const c = t === 5 ? { ...claim, leaves: claim.leaves + 1 } : claim;
        const statuses = cores.map((core) => core.chunk.verify(b, c));
        expect(new Set(statuses).size, `statuses ${statuses.join(', ')}`).toBe(1);
      }
    }
  });
});

describe('chunk encoding', () => {
  it('round-trips leaves', () => {
    const leaves = randomEntries(12, 50);
    const back = decodeChunk(encodeChunk(leaves));
    expect(back.map((l) => [hex(l.key), hex(l.value)])).toEqual(leaves.map((l) => [hex(l.key), hex(l.value)]));
  });

  it('splices runs of other chunks\' leaves, packed leaves and single leaves into the chunk encodeChunk writes for them', () => {
    const a = randomEntries(51, 20);
    const b = randomEntries(52, 9);
    const single = randomEntries(53, 3);
    const run = (leaves: KeyValue[], from: number, to: number) => {
      const bytes = encodeChunk(leaves);
      const layout = cores[0].chunk.decode(bytes, { maxLeaves: bytes.length, maxKeyLength: MAX_KEY_LENGTH });
      if (typeof layout === 'number') throw new Error(`status ${layout}`);
      return { bytes, layout, from, to };
    };
    // Packed keys and values: each key right before its value, at any offset.
    const c = randomEntries(54, 6);
    const data = new Uint8Array(7 + c.reduce((n, l) => n + l.key.length + l.value.length + 3, 0));
    const keyAt = new Uint32Array(c.length);
    let at = 7;
    c.forEach((l, i) => {
      keyAt[i] = at;
      data.set(l.key, at);
      data.set(l.value, at + l.key.length);
      at += l.key.length + l.value.length + (i % 4);
    });
    const packed = {
      data, keyAt, keyLength: Uint32Array.from(c, (l) => l.key.length), valueLength: Uint32Array.from(c, (l) => l.value.length),
    };
    const want = [...a.slice(3, 11), single[0], ...c.slice(1, 4), ...b.slice(0, 9), single[1], single[2], ...a.slice(19, 20), ...c.slice(4, 6)];
    const leafBytes = want.reduce((n, l) => n + l.key.length + l.value.length, 0);
    const pieces = [run(a, 3, 11), single[0], { packed, from: 1, to: 4 }, run(b, 0, 9), single[1], single[2], run(a, 19, 20),
      { packed, from: 4, to: 6 }];
    expect(hex(spliceChunk(pieces, want.length, leafBytes))).toBe(hex(encodeChunk(want)));
    expect(() => spliceChunk(pieces, want.length + 1, leafBytes)).toThrow(/expected/);
  });

  it('refuses empty keys and malformed bytes, as verification does', () => {
    expect(() => encodeChunk([{ key: new Uint8Array(0), value: new Uint8Array(1) }])).toThrow(InvalidArgument);
    const bytes = encodeChunk(randomEntries(2, 3));
    expect(() => decodeChunk(bytes.subarray(0, bytes.length - 1))).toThrow(/add up/);
    expect(() => decodeChunk(new Uint8Array([0x4c, 0x53, 0x43, 0x31, 255, 255, 255, 255]))).toThrow(InvalidArgument);
    const emptyKey = encodeChunk([{ key: new Uint8Array(1), value: new Uint8Array(2) }]);
    emptyKey.set([0, 0, 0, 0, 3, 0, 0, 0], 8); // key length 0, value length 3: the sizes still add up
    expect(() => decodeChunk(emptyKey)).toThrow(/empty key/);
  });
});
