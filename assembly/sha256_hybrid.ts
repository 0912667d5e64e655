// One message's SHA-256 compression for the SIMD build: scalar rounds, with the message schedule
// and the round constants added to it computed four words at a time in v128 registers between
// them. The two run on different execution units, so the schedule mostly hides behind the
// rounds (about a fifth less time per block than the all-scalar compressBlocks in V8). This is
// what a chain of dependent hashes runs (an ICS23 proof path, the tail of a batch), where there
// is no second message to fill SIMD lanes with.
import { bigSigma0, bigSigma1, choose, roundConstants } from './sha256';
import { sigma0x4, sigma1x4 } from './sha256_x4';

/** W[i] + K[i] of the block being compressed. */
const WK: usize = memory.data(64 * 4, 16);

/** The four big-endian words of the 16 bytes at `p`. */
// @ts-ignore: decorator
@inline function words(p: usize): v128 {
  const x = v128.load(p, 0, 1);
  return i8x16.shuffle(x, x, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
}

/**
 * W[t..t+3] from x0 = W[t-16..t-13], x1, x2, x3 = W[t-4..t-1]: W[t] = σ1(W[t-2]) + W[t-7] +
 * σ0(W[t-15]) + W[t-16]. W[t+2] and W[t+3] need σ1 of W[t] and W[t+1], so σ1 is applied twice,
 * each time to two words with zeros beside them (σ1(0) = 0).
 */
// @ts-ignore: decorator
@inline function next4(x0: v128, x1: v128, x2: v128, x3: v128): v128 {
  const zero = i32x4.splat(0);
  const w15 = i8x16.shuffle(x0, x1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
  const w7 = i8x16.shuffle(x2, x3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
  const w2 = i8x16.shuffle(x3, zero, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16, 16, 16, 16, 16, 16, 16);
  const s = i32x4.add(i32x4.add(x0, w7), i32x4.add(sigma0x4(w15), sigma1x4(w2)));
  return i32x4.add(s, sigma1x4(i8x16.shuffle(zero, s, 0, 0, 0, 0, 0, 0, 0, 0, 16, 17, 18, 19, 20, 21, 22, 23)));
}

/** compressBlocks (sha256.ts) for the SIMD build: same arguments, same result. */
export function compressBlocksHybrid(state: usize, src: usize, blocks: usize): void {
  let h0 = load<u32>(state, 0), h1 = load<u32>(state, 4), h2 = load<u32>(state, 8), h3 = load<u32>(state, 12);
  let h4 = load<u32>(state, 16), h5 = load<u32>(state, 20), h6 = load<u32>(state, 24), h7 = load<u32>(state, 28);
  const k = roundConstants();
  for (let p = src, end = src + (blocks << 6); p < end; p += 64) {
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    let x0 = words(p), x1 = words(p + 16), x2 = words(p + 32), x3 = words(p + 48);
    v128.store(WK, i32x4.add(x0, v128.load(k)), 0);
    v128.store(WK, i32x4.add(x1, v128.load(k, 16)), 16);
    v128.store(WK, i32x4.add(x2, v128.load(k, 32)), 32);
    v128.store(WK, i32x4.add(x3, v128.load(k, 48)), 48);
    // Eight rounds per pass (the working variables renamed round by round, Maj from the previous
    // round's a ^ b as in compressBlocks); after each four, the schedule words 16 rounds ahead.
    let t: u32, m0: u32, m1 = b ^ c;
    for (let i: usize = 0; i < 64; i += 8) {
      const wk = WK + (i << 2);
      t = h + load<u32>(wk, 0) + choose(e, f, g) + bigSigma1(e); d += t; m0 = a ^ b; h = t + bigSigma0(a) + (b ^ (m0 & m1));
      t = g + load<u32>(wk, 4) + choose(d, e, f) + bigSigma1(d); c += t; m1 = h ^ a; g = t + bigSigma0(h) + (a ^ (m1 & m0));
      t = f + load<u32>(wk, 8) + choose(c, d, e) + bigSigma1(c); b += t; m0 = g ^ h; f = t + bigSigma0(g) + (h ^ (m0 & m1));
      t = e + load<u32>(wk, 12) + choose(b, c, d) + bigSigma1(b); a += t; m1 = f ^ g; e = t + bigSigma0(f) + (g ^ (m1 & m0));
      if (i < 48) {
        const x4 = next4(x0, x1, x2, x3);
        v128.store(wk + 64, i32x4.add(x4, v128.load(k + (i << 2), 64)));
        x0 = x1; x1 = x2; x2 = x3; x3 = x4;
      }
      t = d + load<u32>(wk, 16) + choose(a, b, c) + bigSigma1(a); h += t; m0 = e ^ f; d = t + bigSigma0(e) + (f ^ (m0 & m1));
      t = c + load<u32>(wk, 20) + choose(h, a, b) + bigSigma1(h); g += t; m1 = d ^ e; c = t + bigSigma0(d) + (e ^ (m1 & m0));
      t = b + load<u32>(wk, 24) + choose(g, h, a) + bigSigma1(g); f += t; m0 = c ^ d; b = t + bigSigma0(c) + (d ^ (m0 & m1));
      t = a + load<u32>(wk, 28) + choose(f, g, h) + bigSigma1(f); e += t; m1 = b ^ c; a = t + bigSigma0(b) + (c ^ (m1 & m0));
      if (i < 48) {
        const x4 = next4(x0, x1, x2, x3);
        v128.store(wk + 80, i32x4.add(x4, v128.load(k + (i << 2), 80)));
        x0 = x1; x1 = x2; x2 = x3; x3 = x4;
      }
    }
    h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u32>(state, h0, 0); store<u32>(state, h1, 4); store<u32>(state, h2, 8); store<u32>(state, h3, 12);
  store<u32>(state, h4, 16); store<u32>(state, h5, 20); store<u32>(state, h6, 24); store<u32>(state, h7, 28);
}
