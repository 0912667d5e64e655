// Independent FastCDC oracles for the tests: SPECS.md §7.1–7.3 written out literally, v2020 with
// BigInt arithmetic and the gear table derived from MD5 (@noble/hashes), ronomon with its table
// derived from AES-256-CTR (WebCrypto), neither from the core's generated tables. Slow (fine for
// the few hundred KiB the tests feed them).
import { md5 } from '@noble/hashes/legacy.js';

const M64 = (1n << 64n) - 1n;
const MASKS = [0n, 0n, 0n, 0n, 0n,
  0x0000000001804110n, 0x0000000001803110n, 0x0000000018035100n, 0x0000001800035300n,
  0x0000019000353000n, 0x0000590003530000n, 0x0000d90003530000n, 0x0000d90103530000n,
  0x0000d90303530000n, 0x0000d90313530000n, 0x0000d90f03530000n, 0x0000d90303537000n,
  0x0000d90703537000n, 0x0000d90707537000n, 0x0000d91707537000n, 0x0000d91747537000n,
  0x0000d91767537000n, 0x0000d93767537000n, 0x0000d93777537000n, 0x0000d93777577000n,
  0x0000db3777577000n];

const GEAR = Array.from({ length: 256 }, (_, i) => {
  const d = md5(new Uint8Array(64).fill(i));
  return new DataView(d.buffer, d.byteOffset, 8).getBigUint64(0, false);
});

export interface ReferenceParams { minSize: number; avgSize: number; maxSize: number; level: number; seed: bigint }
type Chunks = Array<{ offset: number; length: number; hash: bigint }>;

/** Cuts all of `data` with `cut(remaining bytes) → [hash, length]`. */
function cutAll(data: Uint8Array, cut: (src: Uint8Array) => [bigint, number]): Chunks {
  const out = [];
  for (let offset = 0; offset < data.length;) {
    const [hash, length] = cut(data.subarray(offset));
    out.push({ offset, length, hash });
    offset += length;
  }
  return out;
}

export function referenceFastcdc(data: Uint8Array, p: ReferenceParams): Chunks {
  const gear = GEAR.map((g) => g ^ p.seed);
  const gearLs = GEAR.map((g) => ((g << 1n) & M64) ^ ((p.seed << 1n) & M64));
  const bits = Math.round(Math.log2(p.avgSize));
  const maskS = MASKS[bits + p.level], maskL = MASKS[bits - p.level];
  return cutAll(data, cut);

  function cut(src: Uint8Array): [bigint, number] {
    let n = src.length;
    if (n <= p.minSize) return [0n, n];
    let center = p.avgSize;
    if (n > p.maxSize) n = p.maxSize;
    else if (n < center) center = n;
    let h = 0n;
    let i = Math.floor(p.minSize / 2);
    for (const [end, mask] of [[Math.floor(center / 2), maskS], [Math.floor(n / 2), maskL]] as const) {
      for (; i < end; i++) {
        const a = 2 * i;
        h = ((h << 2n) + gearLs[src[a]]) & M64;
        if ((h & (mask << 1n)) === 0n) return [h, a];
        h = (h + gear[src[a + 1]]) & M64;
        if ((h & mask) === 0n) return [h, a + 1];
      }
    }
    return [h, n];
  }
}

/** The ronomon table: AES-256-CTR keystream (zero key, zero IV) over 1024 zero bytes, as BE u32 mod 2^31. */
export async function ronomonTable(): Promise<number[]> {
  const key = await crypto.subtle.importKey('raw', new Uint8Array(32), 'AES-CTR', false, ['encrypt']);
  const stream = new DataView(await crypto.subtle.encrypt({ name: 'AES-CTR', counter: new Uint8Array(16), length: 32 }, key, new Uint8Array(1024)));
  return Array.from({ length: 256 }, (_, i) => stream.getUint32(i * 4, false) & 0x7fffffff);
}

export function referenceRonomon(data: Uint8Array, p: Omit<ReferenceParams, 'level' | 'seed'>, table: number[]): Chunks {
  const bits = Math.round(Math.log2(p.avgSize));
  const maskS = 2 ** (bits + 1) - 1, maskL = 2 ** (bits - 1) - 1;
  return cutAll(data, (src) => {
    if (src.length <= p.minSize) return [0n, src.length];
    const size = Math.min(src.length, p.maxSize);
    const switchAt = Math.min(size, p.avgSize - Math.min(p.avgSize, p.minSize + Math.ceil(p.minSize / 2)));
    let h = 0;
    for (let i = p.minSize; i < size; i++) {
      h = (h >>> 1) + table[src[i]];
      if ((h & (i < switchAt ? maskS : maskL)) === 0) return [BigInt(h), i + 1];
    }
    return [BigInt(h), size];
  });
}
