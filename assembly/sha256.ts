// SHA-256 (FIPS 180-4), scalar. State is 8 u32 words in native (little-endian) order;
// message words are read big-endian. Every entry point works on caller-given pointers.
// Messages and digests may sit at any address: their accesses carry alignment 1, which WASM
// ignores but wasm2js (the JavaScript fallback) needs to read unaligned words correctly.

// @ts-ignore: decorator
@lazy const K: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/** Address of the 64 round constants, for the SIMD code that broadcasts them. */
export function roundConstants(): usize {
  return changetype<usize>(K);
}

// Message schedule of the block being compressed.
const W: usize = memory.data(256, 16);

/** Writes the initial hash value to `state`. */
export function initState(state: usize): void {
  store<u32>(state, 0x6a09e667, 0);
  store<u32>(state, 0xbb67ae85, 4);
  store<u32>(state, 0x3c6ef372, 8);
  store<u32>(state, 0xa54ff53a, 12);
  store<u32>(state, 0x510e527f, 16);
  store<u32>(state, 0x9b05688c, 20);
  store<u32>(state, 0x1f83d9ab, 24);
  store<u32>(state, 0x5be0cd19, 28);
}

/** Compresses `blocks` consecutive 64-byte blocks at `src` into `state`. */
export function compressBlocks(state: usize, src: usize, blocks: usize): void {
  let h0 = load<u32>(state, 0), h1 = load<u32>(state, 4), h2 = load<u32>(state, 8), h3 = load<u32>(state, 12);
  let h4 = load<u32>(state, 16), h5 = load<u32>(state, 20), h6 = load<u32>(state, 24), h7 = load<u32>(state, 28);
  const k = changetype<usize>(K);
  for (let b: usize = 0; b < blocks; b++) {
    const p = src + (b << 6);
    for (let i: usize = 0; i < 16; i++) {
      store<u32>(W + (i << 2), bswap<u32>(load<u32>(p + (i << 2), 0, 1)));
    }
    for (let i: usize = 16; i < 64; i++) {
      const w15 = load<u32>(W + ((i - 15) << 2));
      const w2 = load<u32>(W + ((i - 2) << 2));
      const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);
      store<u32>(W + (i << 2), load<u32>(W + ((i - 16) << 2)) + s0 + load<u32>(W + ((i - 7) << 2)) + s1);
    }
    let a = h0, bb = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let i: usize = 0; i < 64; i++) {
      const S1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = h + S1 + ch + load<u32>(k + (i << 2)) + load<u32>(W + (i << 2));
      const S0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);
      const maj = (a & bb) ^ (a & c) ^ (bb & c);
      const t2 = S0 + maj;
      h = g; g = f; f = e; e = d + t1;
      d = c; c = bb; bb = a; a = t1 + t2;
    }
    h0 += a; h1 += bb; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u32>(state, h0, 0); store<u32>(state, h1, 4); store<u32>(state, h2, 8); store<u32>(state, h3, 12);
  store<u32>(state, h4, 16); store<u32>(state, h5, 20); store<u32>(state, h6, 24); store<u32>(state, h7, 28);
}

/** Writes the big-endian digest of `state` to `out` (32 bytes). */
export function writeDigest(state: usize, out: usize): void {
  for (let i: usize = 0; i < 8; i++) store<u32>(out + (i << 2), bswap<u32>(load<u32>(state + (i << 2))), 0, 1);
}

// One padded tail: at most two blocks.
const TAIL: usize = memory.data(128, 16);

/**
 * Finishes a message (of `total` bytes, exact below 2^53) whose first `total - tailLen` bytes are already compressed into `state`
 * and whose last `tailLen` (< 64) bytes are at `tail`; writes the digest to `out`.
 */
export function finishTail(state: usize, tail: usize, tailLen: usize, total: f64, out: usize): void {
  memory.copy(TAIL, tail, tailLen);
  store<u8>(TAIL + tailLen, 0x80);
  const blocks: usize = tailLen < 56 ? 1 : 2;
  const end = blocks << 6;
  memory.fill(TAIL + tailLen + 1, 0, end - 8 - tailLen - 1);
  // The bit length as a big-endian u64, split in two u32 words (exact while total < 2^53).
  store<u32>(TAIL + end - 8, bswap<u32>(<u32>Math.floor(total / 536870912.0)));
  store<u32>(TAIL + end - 4, bswap<u32>(<u32>(total % 536870912.0) << 3));
  compressBlocks(state, TAIL, blocks);
  writeDigest(state, out);
}

const ONE_SHOT_STATE: usize = memory.data(32, 16);

/** SHA-256 of `len` bytes at `src`, written to `out`. */
export function sha256Into(src: usize, len: usize, out: usize): void {
  initState(ONE_SHOT_STATE);
  const full = len >>> 6;
  compressBlocks(ONE_SHOT_STATE, src, full);
  finishTail(ONE_SHOT_STATE, src + (full << 6), len & 63, <f64>len, out);
}
