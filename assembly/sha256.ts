// SHA-256 (FIPS 180-4), scalar. State is 8 u32 words in native (little-endian) order;
// message words are read big-endian. Every entry point works on caller-given pointers.
// Messages and digests may sit at any address: their accesses carry alignment 1, which WASM
// ignores but wasm2js (the JavaScript fallback) needs to read unaligned words correctly.

import { compressBlocksHybrid } from './sha256_hybrid';

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

/** Address of the 64 round constants, for the SIMD code that broadcasts them (the scalar rounds inline them). */
export function roundConstants(): usize {
  return changetype<usize>(K);
}

// The functions of FIPS 180-4 §4.1.2; `choose` in its shortest form (Maj is inlined in the rounds).
// @ts-ignore: decorator
@inline export function bigSigma0(x: u32): u32 { return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22); }
// @ts-ignore: decorator
@inline export function bigSigma1(x: u32): u32 { return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25); }
// @ts-ignore: decorator
@inline function sigma0(x: u32): u32 { return rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3); }
// @ts-ignore: decorator
@inline function sigma1(x: u32): u32 { return rotr<u32>(x, 17) ^ rotr<u32>(x, 19) ^ (x >>> 10); }
// @ts-ignore: decorator
@inline export function choose(e: u32, f: u32, g: u32): u32 { return g ^ (e & (f ^ g)); }
// @ts-ignore: decorator
@inline function word(p: usize, i: usize): u32 { return bswap<u32>(load<u32>(p + (i << 2), 0, 1)); }

/** The initial hash value (FIPS 180-4 §5.3.3) as 8 u32 words. */
export const IV: usize = memory.data<u32>([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
], 16);

/** Writes the initial hash value to `state`. */
export function initState(state: usize): void {
  // Word copies: cheaper than a memory.copy call-out, and this runs once per message.
  for (let i: usize = 0; i < 32; i += 4) store<u32>(state + i, load<u32>(IV + i));
}

/**
 * Compresses `blocks` consecutive 64-byte blocks at `src` into `state`. Fully unrolled, with the
 * round constants inline, the working variables renamed round by round instead of shifted and
 * the 16-word message schedule held in locals, so the engine can keep everything in registers.
 * The SIMD build computes the schedule in vector registers instead (sha256_hybrid.ts).
 */
export function compressBlocks(state: usize, src: usize, blocks: usize): void {
  if (ASC_FEATURE_SIMD) {
    compressBlocksHybrid(state, src, blocks);
    return;
  }
  let h0 = load<u32>(state, 0), h1 = load<u32>(state, 4), h2 = load<u32>(state, 8), h3 = load<u32>(state, 12);
  let h4 = load<u32>(state, 16), h5 = load<u32>(state, 20), h6 = load<u32>(state, 24), h7 = load<u32>(state, 28);
  for (let p = src, end = src + (blocks << 6); p < end; p += 64) {
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    let w0 = word(p, 0), w1 = word(p, 1), w2 = word(p, 2), w3 = word(p, 3);
    let w4 = word(p, 4), w5 = word(p, 5), w6 = word(p, 6), w7 = word(p, 7);
    let w8 = word(p, 8), w9 = word(p, 9), w10 = word(p, 10), w11 = word(p, 11);
    let w12 = word(p, 12), w13 = word(p, 13), w14 = word(p, 14), w15 = word(p, 15);
    // Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)), and b ^ c is the previous round's a ^ b.
    let t: u32, x0: u32, x1 = b ^ c;
    t = h + 0x428a2f98 + w0 + choose(e, f, g) + bigSigma1(e); d += t; x0 = a ^ b; h = t + bigSigma0(a) + (b ^ (x0 & x1));
    t = g + 0x71374491 + w1 + choose(d, e, f) + bigSigma1(d); c += t; x1 = h ^ a; g = t + bigSigma0(h) + (a ^ (x1 & x0));
    t = f + 0xb5c0fbcf + w2 + choose(c, d, e) + bigSigma1(c); b += t; x0 = g ^ h; f = t + bigSigma0(g) + (h ^ (x0 & x1));
    t = e + 0xe9b5dba5 + w3 + choose(b, c, d) + bigSigma1(b); a += t; x1 = f ^ g; e = t + bigSigma0(f) + (g ^ (x1 & x0));
    t = d + 0x3956c25b + w4 + choose(a, b, c) + bigSigma1(a); h += t; x0 = e ^ f; d = t + bigSigma0(e) + (f ^ (x0 & x1));
    t = c + 0x59f111f1 + w5 + choose(h, a, b) + bigSigma1(h); g += t; x1 = d ^ e; c = t + bigSigma0(d) + (e ^ (x1 & x0));
    t = b + 0x923f82a4 + w6 + choose(g, h, a) + bigSigma1(g); f += t; x0 = c ^ d; b = t + bigSigma0(c) + (d ^ (x0 & x1));
    t = a + 0xab1c5ed5 + w7 + choose(f, g, h) + bigSigma1(f); e += t; x1 = b ^ c; a = t + bigSigma0(b) + (c ^ (x1 & x0));
    t = h + 0xd807aa98 + w8 + choose(e, f, g) + bigSigma1(e); d += t; x0 = a ^ b; h = t + bigSigma0(a) + (b ^ (x0 & x1));
    t = g + 0x12835b01 + w9 + choose(d, e, f) + bigSigma1(d); c += t; x1 = h ^ a; g = t + bigSigma0(h) + (a ^ (x1 & x0));
    t = f + 0x243185be + w10 + choose(c, d, e) + bigSigma1(c); b += t; x0 = g ^ h; f = t + bigSigma0(g) + (h ^ (x0 & x1));
    t = e + 0x550c7dc3 + w11 + choose(b, c, d) + bigSigma1(b); a += t; x1 = f ^ g; e = t + bigSigma0(f) + (g ^ (x1 & x0));
    t = d + 0x72be5d74 + w12 + choose(a, b, c) + bigSigma1(a); h += t; x0 = e ^ f; d = t + bigSigma0(e) + (f ^ (x0 & x1));
    t = c + 0x80deb1fe + w13 + choose(h, a, b) + bigSigma1(h); g += t; x1 = d ^ e; c = t + bigSigma0(d) + (e ^ (x1 & x0));
    t = b + 0x9bdc06a7 + w14 + choose(g, h, a) + bigSigma1(g); f += t; x0 = c ^ d; b = t + bigSigma0(c) + (d ^ (x0 & x1));
    t = a + 0xc19bf174 + w15 + choose(f, g, h) + bigSigma1(f); e += t; x1 = b ^ c; a = t + bigSigma0(b) + (c ^ (x1 & x0));
    w0 += sigma1(w14) + w9 + sigma0(w1);
    t = h + 0xe49b69c1 + w0 + choose(e, f, g) + bigSigma1(e); d += t; x0 = a ^ b; h = t + bigSigma0(a) + (b ^ (x0 & x1));
    w1 += sigma1(w15) + w10 + sigma0(w2);
    t = g + 0xefbe4786 + w1 + choose(d, e, f) + bigSigma1(d); c += t; x1 = h ^ a; g = t + bigSigma0(h) + (a ^ (x1 & x0));
    w2 += sigma1(w0) + w11 + sigma0(w3);
    t = f + 0x0fc19dc6 + w2 + choose(c, d, e) + bigSigma1(c); b += t; x0 = g ^ h; f = t + bigSigma0(g) + (h ^ (x0 & x1));
    w3 += sigma1(w1) + w12 + sigma0(w4);
    t = e + 0x240ca1cc + w3 + choose(b, c, d) + bigSigma1(b); a += t; x1 = f ^ g; e = t + bigSigma0(f) + (g ^ (x1 & x0));
    w4 += sigma1(w2) + w13 + sigma0(w5);
    t = d + 0x2de92c6f + w4 + choose(a, b, c) + bigSigma1(a); h += t; x0 = e ^ f; d = t + bigSigma0(e) + (f ^ (x0 & x1));
    w5 += sigma1(w3) + w14 + sigma0(w6);
    t = c + 0x4a7484aa + w5 + choose(h, a, b) + bigSigma1(h); g += t; x1 = d ^ e; c = t + bigSigma0(d) + (e ^ (x1 & x0));
    w6 += sigma1(w4) + w15 + sigma0(w7);
    t = b + 0x5cb0a9dc + w6 + choose(g, h, a) + bigSigma1(g); f += t; x0 = c ^ d; b = t + bigSigma0(c) + (d ^ (x0 & x1));
    w7 += sigma1(w5) + w0 + sigma0(w8);
    t = a + 0x76f988da + w7 + choose(f, g, h) + bigSigma1(f); e += t; x1 = b ^ c; a = t + bigSigma0(b) + (c ^ (x1 & x0));
    w8 += sigma1(w6) + w1 + sigma0(w9);
    t = h + 0x983e5152 + w8 + choose(e, f, g) + bigSigma1(e); d += t; x0 = a ^ b; h = t + bigSigma0(a) + (b ^ (x0 & x1));
    w9 += sigma1(w7) + w2 + sigma0(w10);
    t = g + 0xa831c66d + w9 + choose(d, e, f) + bigSigma1(d); c += t; x1 = h ^ a; g = t + bigSigma0(h) + (a ^ (x1 & x0));
    w10 += sigma1(w8) + w3 + sigma0(w11);
    t = f + 0xb00327c8 + w10 + choose(c, d, e) + bigSigma1(c); b += t; x0 = g ^ h; f = t + bigSigma0(g) + (h ^ (x0 & x1));
    w11 += sigma1(w9) + w4 + sigma0(w12);
    t = e + 0xbf597fc7 + w11 + choose(b, c, d) + bigSigma1(b); a += t; x1 = f ^ g; e = t + bigSigma0(f) + (g ^ (x1 & x0));
    w12 += sigma1(w10) + w5 + sigma0(w13);
    t = d + 0xc6e00bf3 + w12 + choose(a, b, c) + bigSigma1(a); h += t; x0 = e ^ f; d = t + bigSigma0(e) + (f ^ (x0 & x1));
    w13 += sigma1(w11) + w6 + sigma0(w14);
    t = c + 0xd5a79147 + w13 + choose(h, a, b) + bigSigma1(h); g += t; x1 = d ^ e; c = t + bigSigma0(d) + (e ^ (x1 & x0));
    w14 += sigma1(w12) + w7 + sigma0(w15);
    t = b + 0x06ca6351 + w14 + choose(g, h, a) + bigSigma1(g); f += t; x0 = c ^ d; b = t + bigSigma0(c) + (d ^ (x0 & x1));
    w15 += sigma1(w13) + w8 + sigma0(w0);
    t = a + 0x14292967 + w15 + choose(f, g, h) + bigSigma1(f); e += t; x1 = b ^ c; a = t + bigSigma0(b) + (c ^ (x1 & x0));
    w0 += sigma1(w14) + w9 + sigma0(w1);
    t = h + 0x27b70a85 + w0 + choose(e, f, g) + bigSigma1(e); d += t; x0 = a ^ b; h = t + bigSigma0(a) + (b ^ (x0 & x1));
    w1 += sigma1(w15) + w10 + sigma0(w2);
    t = g + 0x2e1b2138 + w1 + choose(d, e, f) + bigSigma1(d); c += t; x1 = h ^ a; g = t + bigSigma0(h) + (a ^ (x1 & x0));
    w2 += sigma1(w0) + w11 + sigma0(w3);
    t = f + 0x4d2c6dfc + w2 + choose(c, d, e) + bigSigma1(c); b += t; x0 = g ^ h; f = t + bigSigma0(g) + (h ^ (x0 & x1));
    w3 += sigma1(w1) + w12 + sigma0(w4);
    t = e + 0x53380d13 + w3 + choose(b, c, d) + bigSigma1(b); a += t; x1 = f ^ g; e = t + bigSigma0(f) + (g ^ (x1 & x0));
    w4 += sigma1(w2) + w13 + sigma0(w5);
    t = d + 0x650a7354 + w4 + choose(a, b, c) + bigSigma1(a); h += t; x0 = e ^ f; d = t + bigSigma0(e) + (f ^ (x0 & x1));
    w5 += sigma1(w3) + w14 + sigma0(w6);
    t = c + 0x766a0abb + w5 + choose(h, a, b) + bigSigma1(h); g += t; x1 = d ^ e; c = t + bigSigma0(d) + (e ^ (x1 & x0));
    w6 += sigma1(w4) + w15 + sigma0(w7);
    t = b + 0x81c2c92e + w6 + choose(g, h, a) + bigSigma1(g); f += t; x0 = c ^ d; b = t + bigSigma0(c) + (d ^ (x0 & x1));
    w7 += sigma1(w5) + w0 + sigma0(w8);
    t = a + 0x92722c85 + w7 + choose(f, g, h) + bigSigma1(f); e += t; x1 = b ^ c; a = t + bigSigma0(b) + (c ^ (x1 & x0));
    w8 += sigma1(w6) + w1 + sigma0(w9);
    t = h + 0xa2bfe8a1 + w8 + choose(e, f, g) + bigSigma1(e); d += t; x0 = a ^ b; h = t + bigSigma0(a) + (b ^ (x0 & x1));
    w9 += sigma1(w7) + w2 + sigma0(w10);
    t = g + 0xa81a664b + w9 + choose(d, e, f) + bigSigma1(d); c += t; x1 = h ^ a; g = t + bigSigma0(h) + (a ^ (x1 & x0));
    w10 += sigma1(w8) + w3 + sigma0(w11);
    t = f + 0xc24b8b70 + w10 + choose(c, d, e) + bigSigma1(c); b += t; x0 = g ^ h; f = t + bigSigma0(g) + (h ^ (x0 & x1));
    w11 += sigma1(w9) + w4 + sigma0(w12);
    t = e + 0xc76c51a3 + w11 + choose(b, c, d) + bigSigma1(b); a += t; x1 = f ^ g; e = t + bigSigma0(f) + (g ^ (x1 & x0));
    w12 += sigma1(w10) + w5 + sigma0(w13);
    t = d + 0xd192e819 + w12 + choose(a, b, c) + bigSigma1(a); h += t; x0 = e ^ f; d = t + bigSigma0(e) + (f ^ (x0 & x1));
    w13 += sigma1(w11) + w6 + sigma0(w14);
    t = c + 0xd6990624 + w13 + choose(h, a, b) + bigSigma1(h); g += t; x1 = d ^ e; c = t + bigSigma0(d) + (e ^ (x1 & x0));
    w14 += sigma1(w12) + w7 + sigma0(w15);
    t = b + 0xf40e3585 + w14 + choose(g, h, a) + bigSigma1(g); f += t; x0 = c ^ d; b = t + bigSigma0(c) + (d ^ (x0 & x1));
    w15 += sigma1(w13) + w8 + sigma0(w0);
    t = a + 0x106aa070 + w15 + choose(f, g, h) + bigSigma1(f); e += t; x1 = b ^ c; a = t + bigSigma0(b) + (c ^ (x1 & x0));
    w0 += sigma1(w14) + w9 + sigma0(w1);
    t = h + 0x19a4c116 + w0 + choose(e, f, g) + bigSigma1(e); d += t; x0 = a ^ b; h = t + bigSigma0(a) + (b ^ (x0 & x1));
    w1 += sigma1(w15) + w10 + sigma0(w2);
    t = g + 0x1e376c08 + w1 + choose(d, e, f) + bigSigma1(d); c += t; x1 = h ^ a; g = t + bigSigma0(h) + (a ^ (x1 & x0));
    w2 += sigma1(w0) + w11 + sigma0(w3);
    t = f + 0x2748774c + w2 + choose(c, d, e) + bigSigma1(c); b += t; x0 = g ^ h; f = t + bigSigma0(g) + (h ^ (x0 & x1));
    w3 += sigma1(w1) + w12 + sigma0(w4);
    t = e + 0x34b0bcb5 + w3 + choose(b, c, d) + bigSigma1(b); a += t; x1 = f ^ g; e = t + bigSigma0(f) + (g ^ (x1 & x0));
    w4 += sigma1(w2) + w13 + sigma0(w5);
    t = d + 0x391c0cb3 + w4 + choose(a, b, c) + bigSigma1(a); h += t; x0 = e ^ f; d = t + bigSigma0(e) + (f ^ (x0 & x1));
    w5 += sigma1(w3) + w14 + sigma0(w6);
    t = c + 0x4ed8aa4a + w5 + choose(h, a, b) + bigSigma1(h); g += t; x1 = d ^ e; c = t + bigSigma0(d) + (e ^ (x1 & x0));
    w6 += sigma1(w4) + w15 + sigma0(w7);
    t = b + 0x5b9cca4f + w6 + choose(g, h, a) + bigSigma1(g); f += t; x0 = c ^ d; b = t + bigSigma0(c) + (d ^ (x0 & x1));
    w7 += sigma1(w5) + w0 + sigma0(w8);
    t = a + 0x682e6ff3 + w7 + choose(f, g, h) + bigSigma1(f); e += t; x1 = b ^ c; a = t + bigSigma0(b) + (c ^ (x1 & x0));
    w8 += sigma1(w6) + w1 + sigma0(w9);
    t = h + 0x748f82ee + w8 + choose(e, f, g) + bigSigma1(e); d += t; x0 = a ^ b; h = t + bigSigma0(a) + (b ^ (x0 & x1));
    w9 += sigma1(w7) + w2 + sigma0(w10);
    t = g + 0x78a5636f + w9 + choose(d, e, f) + bigSigma1(d); c += t; x1 = h ^ a; g = t + bigSigma0(h) + (a ^ (x1 & x0));
    w10 += sigma1(w8) + w3 + sigma0(w11);
    t = f + 0x84c87814 + w10 + choose(c, d, e) + bigSigma1(c); b += t; x0 = g ^ h; f = t + bigSigma0(g) + (h ^ (x0 & x1));
    w11 += sigma1(w9) + w4 + sigma0(w12);
    t = e + 0x8cc70208 + w11 + choose(b, c, d) + bigSigma1(b); a += t; x1 = f ^ g; e = t + bigSigma0(f) + (g ^ (x1 & x0));
    w12 += sigma1(w10) + w5 + sigma0(w13);
    t = d + 0x90befffa + w12 + choose(a, b, c) + bigSigma1(a); h += t; x0 = e ^ f; d = t + bigSigma0(e) + (f ^ (x0 & x1));
    w13 += sigma1(w11) + w6 + sigma0(w14);
    t = c + 0xa4506ceb + w13 + choose(h, a, b) + bigSigma1(h); g += t; x1 = d ^ e; c = t + bigSigma0(d) + (e ^ (x1 & x0));
    w14 += sigma1(w12) + w7 + sigma0(w15);
    t = b + 0xbef9a3f7 + w14 + choose(g, h, a) + bigSigma1(g); f += t; x0 = c ^ d; b = t + bigSigma0(c) + (d ^ (x0 & x1));
    w15 += sigma1(w13) + w8 + sigma0(w0);
    t = a + 0xc67178f2 + w15 + choose(f, g, h) + bigSigma1(f); e += t; x1 = b ^ c; a = t + bigSigma0(b) + (c ^ (x1 & x0));
    h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u32>(state, h0, 0); store<u32>(state, h1, 4); store<u32>(state, h2, 8); store<u32>(state, h3, 12);
  store<u32>(state, h4, 16); store<u32>(state, h5, 20); store<u32>(state, h6, 24); store<u32>(state, h7, 28);
}

/** Writes the big-endian digest of `state` to `out` (32 bytes). */
export function writeDigest(state: usize, out: usize): void {
  for (let i: usize = 0; i < 8; i++) store<u32>(out + (i << 2), bswap<u32>(load<u32>(state + (i << 2))), 0, 1);
}

/**
 * Writes the padding of a message of `total` bytes (exact below 2^53) whose last `tailLen`
 * (< 64) bytes go at the start of `dst` (128 bytes): zeros, 0x80 after the tail, the bit
 * length. Leaves the first `tailLen` bytes zero for copyTail; returns the blocks (1 or 2).
 */
export function padFrame(dst: usize, tailLen: usize, total: f64): usize {
  const blocks: usize = tailLen < 56 ? 1 : 2;
  const end = blocks << 6;
  // Word-sized stores instead of memory.fill/memory.copy: engines call out for those, which
  // costs more than the copy itself at these sizes, and this runs once per message.
  for (let i: usize = 0; i < end; i += 8) store<u64>(dst + i, 0);
  store<u8>(dst + tailLen, 0x80);
  // The bit length as a big-endian u64 in two u32 words (exact while total < 2^53). No f64 `%`:
  // it compiles to a software fmod, which cost more than the rest of the padding. No f64 to u64
  // conversion either: wasm2js cannot lower it.
  const hi = <u32>Math.floor(total / 4294967296.0);
  const lo = <u32>(total - <f64>hi * 4294967296.0);
  store<u32>(dst + end - 8, bswap<u32>((hi << 3) | (lo >>> 29)));
  store<u32>(dst + end - 4, bswap<u32>(lo << 3));
  return blocks;
}

/** Copies a message's last `tailLen` (< 64) bytes from `tail` into its padded frame at `dst`. */
export function copyTail(dst: usize, tail: usize, tailLen: usize): void {
  let i: usize = 0;
  for (; i + 8 <= tailLen; i += 8) store<u64>(dst + i, load<u64>(tail + i, 0, 1));
  for (; i < tailLen; i++) store<u8>(dst + i, load<u8>(tail + i));
}

/**
 * Writes the padded last block(s) of a message of `total` bytes (exact below 2^53) whose last
 * `tailLen` (< 64) bytes are at `tail` to `dst` (128 bytes); returns how many blocks (1 or 2).
 */
export function padTail(dst: usize, tail: usize, tailLen: usize, total: f64): usize {
  const blocks = padFrame(dst, tailLen, total);
  copyTail(dst, tail, tailLen);
  return blocks;
}

// One padded tail: at most two blocks.
const TAIL: usize = memory.data(128, 16);

/**
 * Finishes a message (of `total` bytes, exact below 2^53) whose first `total - tailLen` bytes are already compressed into `state`
 * and whose last `tailLen` (< 64) bytes are at `tail`; writes the digest to `out`.
 */
export function finishTail(state: usize, tail: usize, tailLen: usize, total: f64, out: usize): void {
  compressBlocks(state, TAIL, padTail(TAIL, tail, tailLen, total));
  writeDigest(state, out);
}

const ONE_SHOT_STATE: usize = memory.data(32, 16);

/** Longest message `sha256Frame` takes: two blocks less the 0x80 byte and the 8-byte length. */
export const FRAME_MAX: usize = 119;

/**
 * SHA-256 of the `len` (≤ FRAME_MAX) bytes at the start of `frame` (128 bytes, padded here in
 * place), written to `out`: the message was assembled where it is compressed, so it costs one
 * copy of each piece and one compression call.
 */
export function sha256Frame(frame: usize, len: usize, out: usize): void {
  const blocks: usize = len < 56 ? 1 : 2;
  const lengthAt = frame + (blocks << 6) - 8;
  // 0x80 and seven zeros in one store (len + 8 <= 127 stays in the frame; a one-block message's
  // length, written last, may overwrite some of them), then zero words up to the length.
  store<u64>(frame + len, 0x80, 0, 1);
  for (let p = (frame + len + 8) & ~7; p < lengthAt; p += 8) store<u64>(p, 0);
  store<u32>(lengthAt, 0);
  store<u32>(lengthAt, bswap<u32>(<u32>len << 3), 4);
  initState(ONE_SHOT_STATE);
  compressBlocks(ONE_SHOT_STATE, frame, blocks);
  writeDigest(ONE_SHOT_STATE, out);
}

/** SHA-256 of `len` bytes at `src`, written to `out`. */
export function sha256Into(src: usize, len: usize, out: usize): void {
  initState(ONE_SHOT_STATE);
  const full = len >>> 6;
  compressBlocks(ONE_SHOT_STATE, src, full);
  finishTail(ONE_SHOT_STATE, src + (full << 6), len & 63, <f64>len, out);
}
