import { describe, expect, it } from 'vitest';
import { createBackendSync } from '../src/core/load.js';
import type { BackendKind } from '../src/core/backend.js';
import { sha256, Sha256, sha256Batch, sha256Batch64, sha256BatchPacked, InvalidArgument } from '../src/index.js';
import { sha256Whole } from '../src/hash/sha256.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { hex, oracleSha256, rng } from './helpers.js';

const kinds: BackendKind[] = ['wasm-simd', 'wasm-scalar', 'js'];

/** Lays messages back to back with their u32 offsets, as the batch calls take them. */
function pack(msgs: Uint8Array[]): { data: Uint8Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(msgs.length + 1);
  msgs.forEach((m, i) => (offsets[i + 1] = offsets[i] + m.length));
  const data = new Uint8Array(offsets[msgs.length]);
  msgs.forEach((m, i) => data.set(m, offsets[i]));
  return { data, offsets };
}

function digestsHex(out: Uint8Array): string[] {
  const list: string[] = [];
  for (let i = 0; i < out.length; i += 32) list.push(hex(out.subarray(i, i + 32)));
  return list;
}

describe.each(kinds)('SHA-256 on the %s core', (kind) => {
  const core = createBackendSync({ backend: kind });

  it('loads the requested core', () => {
    expect(core.kind).toBe(kind);
  });

  it('matches WebCrypto for every length from 0 to 1100', async () => {
    const r = rng(7);
    const data = r.bytes(1100);
    for (let len = 0; len <= 1100; len++) {
      const msg = data.subarray(0, len);
      expect(hex(core.sha256(msg)), `length ${len}`).toBe(hex(await oracleSha256(msg)));
    }
  });

  it('streams large random buffers split at random points', async () => {
    const r = rng(11);
    for (const size of [3 << 20, (1 << 20) + 17, 200_001]) {
      const data = r.bytes(size);
      const s = core.sha256Stream();
      let pos = 0;
      while (pos < size) {
        const step = Math.min(size - pos, r.int(r.int(4) === 0 ? 2_000_000 : 300) + 1);
        s.update(data.subarray(pos, pos + step));
        pos += step;
      }
      const want = hex(await oracleSha256(data));
      expect(hex(s.digest()), `size ${size}`).toBe(want);
      expect(hex(core.sha256(data))).toBe(want);
    }
  });

  it('batch of 64-byte messages equals one-shot hashes', () => {
    const r = rng(3);
    for (const n of [0, 1, 3, 4, 5, 17, 1000]) {
      const data = r.bytes(n * 64);
      const out = core.sha256Batch64(data);
      expect(out.length).toBe(n * 32);
      for (let i = 0; i < n; i++) {
        expect(hex(out.subarray(i * 32, i * 32 + 32))).toBe(hex(core.sha256(data.subarray(i * 64, i * 64 + 64))));
      }
    }
  });

  it('variable-length batch covers every length from 0 to 300 against WebCrypto', async () => {
    const r = rng(13);
    const lengths = Array.from({ length: 301 }, (_, i) => i);
    const { data, offsets } = pack(lengths.map((l) => r.bytes(l)));
    const out = core.sha256BatchVar(data, offsets);
    for (const len of lengths) {
      const msg = data.subarray(offsets[len], offsets[len + 1]);
      expect(hex(out.subarray(len * 32, len * 32 + 32)), `length ${len}`).toBe(hex(await oracleSha256(msg)));
    }
  });

  it('batches of messages all of one length (the fixed-length path) agree with WebCrypto', async () => {
    const r = rng(14);
    // Every length from 0 to 300, each with batch sizes that end in a full group of four, a
    // partial one of two or three (run in the four lanes) and a lone last message.
    for (let len = 0; len <= 300; len++) {
      for (const n of [2 + (len % 4), 6 + (len % 4)]) {
        const msgs = Array.from({ length: n }, () => r.bytes(len));
        const { data, offsets } = pack(msgs);
        // Offsets that start past 0: the batch's first message is not at the data's start.
        const shifted = pack([r.bytes(5), ...msgs]);
        const out = core.sha256BatchVar(shifted.data.subarray(5), shifted.offsets.subarray(1).map((o) => o - 5));
        const want = await Promise.all(msgs.map(async (m) => hex(await oracleSha256(m))));
        expect(digestsHex(core.sha256BatchVar(data, offsets)), `${n} × ${len} bytes`).toEqual(want);
        expect(digestsHex(out), `${n} × ${len} bytes, shifted`).toEqual(want);
      }
    }
  });

  it('batches of every size from 0 to 9 agree with one-shot hashes', () => {
    const r = rng(17);
    for (let n = 0; n <= 9; n++) {
      const msgs = Array.from({ length: n }, () => r.bytes(r.int(2) ? 64 : r.int(200)));
      const { data, offsets } = pack(msgs);
      const want = msgs.map((m) => hex(core.sha256(m)));
      expect(digestsHex(core.sha256BatchVar(data, offsets)), `n = ${n}`).toEqual(want);
      const same = msgs.map(() => r.bytes(64));
      expect(digestsHex(core.sha256Batch64(pack(same).data))).toEqual(same.map((m) => hex(core.sha256(m))));
    }
  });

  it('variable-length batch handles messages larger than a window and many small ones', () => {
    const r = rng(19);
    const msgs = [r.bytes(10), r.bytes((1 << 20) + 5), r.bytes(3), r.bytes(1 << 20), r.bytes(0)];
    for (let i = 0; i < 40_000; i++) msgs.push(r.bytes(r.int(40)));
    const { data, offsets } = pack(msgs);
    const out = digestsHex(core.sha256BatchVar(data, offsets));
    msgs.forEach((m, i) => {
      if (out[i] !== hex(core.sha256(m))) expect(out[i], `message ${i} of length ${m.length}`).toBe(hex(core.sha256(m)));
    });
  });

  it('variable-length batch keeps lanes apart when lengths differ wildly', async () => {
    const r = rng(23);
    // Long messages among short ones, a long one last, runs of equal block counts, empty ones.
    const shapes = [
      [5000, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 5000],
      [3000, 2000, 1000, 0, 0, 0, 0, 55, 56, 63, 64, 119, 120, 127, 128],
      [77, 80, 77, 80, 77, 80, 77],
      [0, 0, 0, 0, 0],
    ];
    for (const lengths of shapes) {
      const msgs = lengths.map((l) => r.bytes(l));
      const { data, offsets } = pack(msgs);
      const want = await Promise.all(msgs.map(async (m) => hex(await oracleSha256(m))));
      expect(digestsHex(core.sha256BatchVar(data, offsets)), `lengths ${lengths.join(',')}`).toEqual(want);
    }
  });

  it('random mixes of lengths agree with WebCrypto', async () => {
    const r = rng(29);
    for (let round = 0; round < 20; round++) {
      const n = r.int(40);
      const msgs = Array.from({ length: n }, () => r.bytes(r.int(8) === 0 ? r.int(2000) : 60 + r.int(60)));
      const { data, offsets } = pack(msgs);
      const want = await Promise.all(msgs.map(async (m) => hex(await oracleSha256(m))));
      expect(digestsHex(core.sha256BatchVar(data, offsets)), `round ${round}`).toEqual(want);
    }
  });

  it('batch of variable-length messages equals one-shot hashes', () => {
    const r = rng(5);
    const lengths = [0, 1, 55, 56, 63, 64, 65, 100, 119, 120, 128, 1000];
    for (let i = 0; i < 300; i++) lengths.push(r.int(r.int(5) === 0 ? 3000 : 140));
    const total = lengths.reduce((a, b) => a + b, 0);
    const data = r.bytes(total);
    const offsets = new Uint32Array(lengths.length + 1);
    lengths.forEach((l, i) => (offsets[i + 1] = offsets[i] + l));
    const out = core.sha256BatchVar(data, offsets);
    lengths.forEach((_, i) => {
      const msg = data.subarray(offsets[i], offsets[i + 1]);
      expect(hex(out.subarray(i * 32, i * 32 + 32)), `message ${i} of length ${msg.length}`).toBe(hex(core.sha256(msg)));
    });
  });
});

describe('the SHA-256 cores agree with each other', () => {
  it('SIMD, scalar and JavaScript give the same batch digests', () => {
    const r = rng(31);
    const msgs = Array.from({ length: 203 }, (_, i) => r.bytes(i % 7 === 0 ? r.int(700) : r.int(130)));
    const { data, offsets } = pack(msgs);
    const m64 = r.bytes(64 * 37);
    const results = kinds.map((kind) => {
      const core = createBackendSync({ backend: kind });
      return [hex(core.sha256BatchVar(data, offsets)), hex(core.sha256Batch64(m64))];
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });
});

describe('the public SHA-256 API', () => {
  it('hashes with the active core and agrees with WebCrypto', async () => {
    const msg = new TextEncoder().encode('abc');
    expect(hex(sha256(msg))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const h = new Sha256().update(msg.subarray(0, 1)).update(msg.subarray(1));
    expect(hex(h.digest())).toBe(hex(await oracleSha256(msg)));
  });

  it('batches mixed messages in order', () => {
    const r = rng(9);
    const msgs = [r.bytes(64), r.bytes(3), r.bytes(64), r.bytes(0)];
    expect(sha256Batch(msgs).map(hex)).toEqual(msgs.map((m) => hex(sha256(m))));
    const same = [r.bytes(64), r.bytes(64)];
    expect(sha256Batch(same).map(hex)).toEqual(same.map((m) => hex(sha256(m))));
  });

  it('rejects what is not bytes with a clear error', () => {
    expect(() => sha256('abc' as unknown as Uint8Array)).toThrow(InvalidArgument);
    expect(() => sha256('abc' as unknown as Uint8Array)).toThrow(/data must be a Uint8Array, got string/);
    expect(() => new Sha256().update([1, 2] as unknown as Uint8Array)).toThrow(/got Array/);
    expect(() => sha256Batch64(new Uint8Array(65))).toThrow(/not a multiple of 64/);
    expect(() => sha256Batch([new Uint8Array(1), null as unknown as Uint8Array])).toThrow(/messages\[1\]/);
  });

  it('hashes packed messages and checks their offsets', async () => {
    const r = rng(37);
    const data = r.bytes(300);
    const offsets = Uint32Array.from([10, 10, 77, 157, 300]);
    const out = sha256BatchPacked(data, offsets);
    expect(out.length).toBe(4 * 32);
    for (let i = 0; i < 4; i++) {
      const msg = data.subarray(offsets[i], offsets[i + 1]);
      expect(hex(out.subarray(i * 32, i * 32 + 32))).toBe(hex(await oracleSha256(msg)));
    }
    expect(sha256BatchPacked(new Uint8Array(0), Uint32Array.of(0)).length).toBe(0);
    expect(() => sha256BatchPacked(data, [0, 1] as unknown as Uint32Array)).toThrow(InvalidArgument);
    expect(() => sha256BatchPacked(data, new Uint32Array(0))).toThrow(/at least one entry/);
    expect(() => sha256BatchPacked(data, Uint32Array.of(0, 5, 4))).toThrow(/offsets\[2\] = 4 is below offsets\[1\] = 5/);
    expect(() => sha256BatchPacked(data, Uint32Array.of(0, 301))).toThrow(/past the 300 bytes/);
    expect(() => sha256BatchPacked('x' as unknown as Uint8Array, Uint32Array.of(0))).toThrow(/data must be a Uint8Array/);
  });

  it('refuses to reuse a finished hash', () => {
    const h = new Sha256();
    h.digest();
    expect(() => h.digest()).toThrow(/twice/);
  });
});

describe('sha256Whole (native SHA-256 for whole chunks where the platform has it)', () => {
  it('gives the same digest as @noble/hashes on both sides of the native threshold and for shared memory', async () => {
    const r = rng(21);
    for (const n of [0, 1, 16383, 16384, 16385, 1 << 20, (1 << 20) + 7]) {
      const msg = r.bytes(n);
      expect(hex(await sha256Whole(msg)), `length ${n}`).toBe(hex(nobleSha256(msg)));
      expect(hex(await sha256Whole(msg.subarray(3))), `view at 3 of ${n}`).toBe(hex(nobleSha256(msg.subarray(3))));
    }
    if (typeof SharedArrayBuffer === 'undefined') return; // a page that is not cross-origin isolated has none
    const shared = new Uint8Array(new SharedArrayBuffer(100_000));
    shared.set(r.bytes(100_000));
    expect(hex(await sha256Whole(shared))).toBe(hex(nobleSha256(shared)));
  });

  it('refuses what is not bytes', async () => {
    await expect(sha256Whole('abc' as unknown as Uint8Array)).rejects.toThrow(InvalidArgument);
  });
});
