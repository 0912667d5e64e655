import { describe, expect, it } from 'vitest';
import { createBackendSync } from '../src/core/load.js';
import type { BackendKind } from '../src/core/backend.js';
import { chunkLeafHashes } from '../src/core/chunk.js';
import { decodeChunk, encodeChunk, type KeyValue } from '../src/format/chunk.js';
import { InvalidArgument } from '../src/errors.js';
import { hex, oracleSha256, rng } from './helpers.js';

function randomLeaves(seed: number, n: number): KeyValue[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => ({ key: r.bytes(1 + r.int(40)), value: r.bytes(r.int(r.int(8) === 0 ? 3000 : 120)) }));
}

const limits = { maxLeaves: 100_000, maxKeyLength: 65_536 };

describe.each(['wasm-simd', 'wasm-scalar', 'js'] as BackendKind[])('chunk decoding on the %s core', (kind) => {
  const core = createBackendSync({ backend: kind });

  it('hashes every key and value like WebCrypto', async () => {
    for (const n of [0, 1, 2, 5, 333]) {
      const leaves = randomLeaves(n + 1, n);
      const got = chunkLeafHashes(core, encodeChunk(leaves), limits);
      if (typeof got === 'string') throw new Error(got);
      expect(got.count).toBe(n);
      for (let i = 0; i < n; i++) {
        expect(hex(got.keyHashes.subarray(i * 32, i * 32 + 32))).toBe(hex(await oracleSha256(leaves[i].key)));
        expect(hex(got.valueHashes.subarray(i * 32, i * 32 + 32))).toBe(hex(await oracleSha256(leaves[i].value)));
      }
    }
  });

  it('refuses every truncation and extension with a reason', () => {
    const bytes = encodeChunk(randomLeaves(9, 20));
    for (let cut = 0; cut < bytes.length; cut += 7) {
      expect(typeof chunkLeafHashes(core, bytes.subarray(0, cut), limits), `cut at ${cut}`).toBe('string');
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(chunkLeafHashes(core, longer, limits)).toMatch(/do not add up/);
  });

  it('survives corrupted headers and length tables without trapping', () => {
    const bytes = encodeChunk(randomLeaves(4, 30));
    const r = rng(77);
    const tableEnd = 8 + 30 * 8;
    for (let i = 0; i < 400; i++) {
      const bad = bytes.slice();
      const at = r.int(tableEnd);
      bad[at] ^= 1 << r.int(8);
      const got = chunkLeafHashes(core, bad, limits);
      if (typeof got !== 'string') expect(got.count).toBeLessThanOrEqual(30); // a flip that keeps a valid layout
    }
    expect(chunkLeafHashes(core, bytes, { maxLeaves: 29, maxKeyLength: 65_536 })).toMatch(/more leaves/);
    expect(chunkLeafHashes(core, bytes, { maxLeaves: 100, maxKeyLength: 3 })).toMatch(/key longer/);
    const badMagic = bytes.slice();
    badMagic[0] = 0;
    expect(chunkLeafHashes(core, badMagic, limits)).toMatch(/magic/);
  });
});

describe('chunk encoding', () => {
  it('round-trips leaves', () => {
    const leaves = randomLeaves(12, 50);
    const back = decodeChunk(encodeChunk(leaves));
    expect(back.map((l) => [hex(l.key), hex(l.value)])).toEqual(leaves.map((l) => [hex(l.key), hex(l.value)]));
  });

  it('refuses empty keys and malformed bytes', () => {
    expect(() => encodeChunk([{ key: new Uint8Array(0), value: new Uint8Array(1) }])).toThrow(InvalidArgument);
    const bytes = encodeChunk(randomLeaves(2, 3));
    expect(() => decodeChunk(bytes.subarray(0, bytes.length - 1))).toThrow(/add up/);
    expect(() => decodeChunk(new Uint8Array([0x4c, 0x53, 0x43, 0x31, 255, 255, 255, 255]))).toThrow(/cannot fit/);
  });
});
