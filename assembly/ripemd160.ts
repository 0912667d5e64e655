// RIPEMD-160 (Dobbertin, Bosselaers, Preneel 1996), scalar. State is 5 u32 words; message
// words and the digest are little-endian, read and written with alignment 1.

// @ts-ignore: decorator
@lazy const RL: StaticArray<u8> = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
  3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12, 1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
  4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13,
];
// @ts-ignore: decorator
@lazy const RR: StaticArray<u8> = [
  5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12, 6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
  15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13, 8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
  12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11,
];
// @ts-ignore: decorator
@lazy const SL: StaticArray<u8> = [
  11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8, 7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
  11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5, 11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
  9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
];
// @ts-ignore: decorator
@lazy const SR: StaticArray<u8> = [
  8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6, 9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
  9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5, 15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
  8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
];
// @ts-ignore: decorator
@lazy const KL: StaticArray<u32> = [0x00000000, 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xa953fd4e];
// @ts-ignore: decorator
@lazy const KR: StaticArray<u32> = [0x50a28be6, 0x5c4dd124, 0x6d703ef3, 0x7a6d76e9, 0x00000000];

// The words of the block being compressed.
const X: usize = memory.data(64, 16);

/** Writes the initial hash value to `state`. */
export function ripemd160Init(state: usize): void {
  store<u32>(state, 0x67452301, 0);
  store<u32>(state, 0xefcdab89, 4);
  store<u32>(state, 0x98badcfe, 8);
  store<u32>(state, 0x10325476, 12);
  store<u32>(state, 0xc3d2e1f0, 16);
}

/** The boolean function of round `r` (0..4). */
// @ts-ignore: decorator
@inline function f(r: i32, x: u32, y: u32, z: u32): u32 {
  if (r == 0) return x ^ y ^ z;
  if (r == 1) return (x & y) | (~x & z);
  if (r == 2) return (x | ~y) ^ z;
  if (r == 3) return (x & z) | (y & ~z);
  return x ^ (y | ~z);
}

/** Compresses `blocks` consecutive 64-byte blocks at `src` into `state`. */
export function ripemd160Compress(state: usize, src: usize, blocks: usize): void {
  for (let b: usize = 0; b < blocks; b++) {
    memory.copy(X, src + (b << 6), 64);
    const h0 = load<u32>(state, 0), h1 = load<u32>(state, 4), h2 = load<u32>(state, 8);
    const h3 = load<u32>(state, 12), h4 = load<u32>(state, 16);
    let al = h0, bl = h1, cl = h2, dl = h3, el = h4;
    let ar = h0, br = h1, cr = h2, dr = h3, er = h4;
    for (let j = 0; j < 80; j++) {
      const r = j >>> 4;
      let t = rotl<u32>(al + f(r, bl, cl, dl) + load<u32>(X + (<usize>unchecked(RL[j]) << 2)) + unchecked(KL[r]),
        unchecked(SL[j])) + el;
      al = el; el = dl; dl = rotl<u32>(cl, 10); cl = bl; bl = t;
      t = rotl<u32>(ar + f(4 - r, br, cr, dr) + load<u32>(X + (<usize>unchecked(RR[j]) << 2)) + unchecked(KR[r]),
        unchecked(SR[j])) + er;
      ar = er; er = dr; dr = rotl<u32>(cr, 10); cr = br; br = t;
    }
    store<u32>(state, h1 + cl + dr, 0);
    store<u32>(state, h2 + dl + er, 4);
    store<u32>(state, h3 + el + ar, 8);
    store<u32>(state, h4 + al + br, 12);
    store<u32>(state, h0 + bl + cr, 16);
  }
}
