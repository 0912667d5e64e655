// Arithmetic modulo p = 2^255 - 19 for ed25519 (radix 2^25.5, as ref10/SUPERCOP): an element
// is ten signed i32 limbs at a 40-byte address, limb i worth 2^ceil(25.5 i), alternately 26 and
// 25 bits once carried. Products are taken in i64: WASM has a native 64-bit multiply but no
// 64x64 -> 128, so this beats radix 2^51. Results of add/sub are not carried; ref10's bounds
// (and so the group formulas in edwards25519.ts) allow one such sum as a multiplication input.
// Everything here is variable-time: verification only handles public data.

/** Bytes of one field element. */
export const FE: usize = 40;

// @ts-ignore: decorator
@inline function limb(f: usize, i: usize): i64 {
  return <i64>load<i32>(f + (i << 2));
}

// @ts-ignore: decorator
@inline function storeLimbs(h: usize, h0: i64, h1: i64, h2: i64, h3: i64, h4: i64, h5: i64, h6: i64, h7: i64, h8: i64, h9: i64): void {
  store<i32>(h, <i32>h0, 0); store<i32>(h, <i32>h1, 4); store<i32>(h, <i32>h2, 8); store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16); store<i32>(h, <i32>h5, 20); store<i32>(h, <i32>h6, 24); store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32); store<i32>(h, <i32>h9, 36);
}

/** Carries the ten i64 limbs (ref10's chain: any product's sums fit) and stores them at h. */
// @ts-ignore: decorator
@inline function carryStore(h: usize, h0: i64, h1: i64, h2: i64, h3: i64, h4: i64, h5: i64, h6: i64, h7: i64, h8: i64, h9: i64): void {
  let c: i64;
  c = (h0 + 0x2000000) >> 26; h1 += c; h0 -= c << 26;
  c = (h4 + 0x2000000) >> 26; h5 += c; h4 -= c << 26;
  c = (h1 + 0x1000000) >> 25; h2 += c; h1 -= c << 25;
  c = (h5 + 0x1000000) >> 25; h6 += c; h5 -= c << 25;
  c = (h2 + 0x2000000) >> 26; h3 += c; h2 -= c << 26;
  c = (h6 + 0x2000000) >> 26; h7 += c; h6 -= c << 26;
  c = (h3 + 0x1000000) >> 25; h4 += c; h3 -= c << 25;
  c = (h7 + 0x1000000) >> 25; h8 += c; h7 -= c << 25;
  c = (h4 + 0x2000000) >> 26; h5 += c; h4 -= c << 26;
  c = (h8 + 0x2000000) >> 26; h9 += c; h8 -= c << 26;
  c = (h9 + 0x1000000) >> 25; h0 += c * 19; h9 -= c << 25;
  c = (h0 + 0x2000000) >> 26; h1 += c; h0 -= c << 26;
  storeLimbs(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/** h = f * g (h may alias f or g). */
export function feMul(h: usize, f: usize, g: usize): void {
  const f0 = limb(f, 0), f1 = limb(f, 1), f2 = limb(f, 2), f3 = limb(f, 3), f4 = limb(f, 4);
  const f5 = limb(f, 5), f6 = limb(f, 6), f7 = limb(f, 7), f8 = limb(f, 8), f9 = limb(f, 9);
  const g0 = limb(g, 0), g1 = limb(g, 1), g2 = limb(g, 2), g3 = limb(g, 3), g4 = limb(g, 4);
  const g5 = limb(g, 5), g6 = limb(g, 6), g7 = limb(g, 7), g8 = limb(g, 8), g9 = limb(g, 9);
  const g1_19 = g1 * 19, g2_19 = g2 * 19, g3_19 = g3 * 19, g4_19 = g4 * 19, g5_19 = g5 * 19;
  const g6_19 = g6 * 19, g7_19 = g7 * 19, g8_19 = g8 * 19, g9_19 = g9 * 19;
  const f1_2 = f1 * 2, f3_2 = f3 * 2, f5_2 = f5 * 2, f7_2 = f7 * 2, f9_2 = f9 * 2;
  let h0 = f0 * g0 + f1_2 * g9_19 + f2 * g8_19 + f3_2 * g7_19 + f4 * g6_19 + f5_2 * g5_19 + f6 * g4_19 + f7_2 * g3_19 + f8 * g2_19 + f9_2 * g1_19;
  let h1 = f0 * g1 + f1 * g0 + f2 * g9_19 + f3 * g8_19 + f4 * g7_19 + f5 * g6_19 + f6 * g5_19 + f7 * g4_19 + f8 * g3_19 + f9 * g2_19;
  let h2 = f0 * g2 + f1_2 * g1 + f2 * g0 + f3_2 * g9_19 + f4 * g8_19 + f5_2 * g7_19 + f6 * g6_19 + f7_2 * g5_19 + f8 * g4_19 + f9_2 * g3_19;
  let h3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9_19 + f5 * g8_19 + f6 * g7_19 + f7 * g6_19 + f8 * g5_19 + f9 * g4_19;
  let h4 = f0 * g4 + f1_2 * g3 + f2 * g2 + f3_2 * g1 + f4 * g0 + f5_2 * g9_19 + f6 * g8_19 + f7_2 * g7_19 + f8 * g6_19 + f9_2 * g5_19;
  let h5 = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9_19 + f7 * g8_19 + f8 * g7_19 + f9 * g6_19;
  let h6 = f0 * g6 + f1_2 * g5 + f2 * g4 + f3_2 * g3 + f4 * g2 + f5_2 * g1 + f6 * g0 + f7_2 * g9_19 + f8 * g8_19 + f9_2 * g7_19;
  let h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9_19 + f9 * g8_19;
  let h8 = f0 * g8 + f1_2 * g7 + f2 * g6 + f3_2 * g5 + f4 * g4 + f5_2 * g3 + f6 * g2 + f7_2 * g1 + f8 * g0 + f9_2 * g9_19;
  let h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  carryStore(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/** h = f^2 (h may alias f). */
export function feSq(h: usize, f: usize): void {
  square(h, f, false);
}

/** h = 2 f^2, in one carry chain (the doubling formula's 2 Z^2). */
export function feSq2(h: usize, f: usize): void {
  square(h, f, true);
}

// @ts-ignore: decorator
@inline function square(h: usize, f: usize, double: bool): void {
  const f0 = limb(f, 0), f1 = limb(f, 1), f2 = limb(f, 2), f3 = limb(f, 3), f4 = limb(f, 4);
  const f5 = limb(f, 5), f6 = limb(f, 6), f7 = limb(f, 7), f8 = limb(f, 8), f9 = limb(f, 9);
  const f0_2 = f0 * 2, f1_2 = f1 * 2, f1_4 = f1 * 4, f2_2 = f2 * 2, f3_2 = f3 * 2, f3_4 = f3 * 4;
  const f4_2 = f4 * 2, f5_19 = f5 * 19, f5_2 = f5 * 2, f5_4 = f5 * 4, f6_19 = f6 * 19, f6_2 = f6 * 2;
  const f7_19 = f7 * 19, f7_2 = f7 * 2, f7_4 = f7 * 4, f8_19 = f8 * 19, f8_2 = f8 * 2, f9_19 = f9 * 19;
  const f9_2 = f9 * 2;
  let h0 = f0 * f0 + f1_4 * f9_19 + f2_2 * f8_19 + f3_4 * f7_19 + f4_2 * f6_19 + f5_2 * f5_19;
  let h1 = f0_2 * f1 + f2_2 * f9_19 + f3_2 * f8_19 + f4_2 * f7_19 + f5_2 * f6_19;
  let h2 = f0_2 * f2 + f1_2 * f1 + f3_4 * f9_19 + f4_2 * f8_19 + f5_4 * f7_19 + f6 * f6_19;
  let h3 = f0_2 * f3 + f1_2 * f2 + f4_2 * f9_19 + f5_2 * f8_19 + f6_2 * f7_19;
  let h4 = f0_2 * f4 + f1_4 * f3 + f2 * f2 + f5_4 * f9_19 + f6_2 * f8_19 + f7_2 * f7_19;
  let h5 = f0_2 * f5 + f1_2 * f4 + f2_2 * f3 + f6_2 * f9_19 + f7_2 * f8_19;
  let h6 = f0_2 * f6 + f1_4 * f5 + f2_2 * f4 + f3_2 * f3 + f7_4 * f9_19 + f8 * f8_19;
  let h7 = f0_2 * f7 + f1_2 * f6 + f2_2 * f5 + f3_2 * f4 + f8_2 * f9_19;
  let h8 = f0_2 * f8 + f1_4 * f7 + f2_2 * f6 + f3_4 * f5 + f4 * f4 + f9_2 * f9_19;
  let h9 = f0_2 * f9 + f1_2 * f8 + f2_2 * f7 + f3_2 * f6 + f4_2 * f5;
  if (double) {
    h0 += h0; h1 += h1; h2 += h2; h3 += h3; h4 += h4; h5 += h5; h6 += h6; h7 += h7; h8 += h8; h9 += h9;
  }
  carryStore(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/** h = f + g, not carried. */
export function feAdd(h: usize, f: usize, g: usize): void {
  for (let i: usize = 0; i < 40; i += 4) store<i32>(h + i, load<i32>(f + i) + load<i32>(g + i));
}

/** h = f - g, not carried. */
export function feSub(h: usize, f: usize, g: usize): void {
  for (let i: usize = 0; i < 40; i += 4) store<i32>(h + i, load<i32>(f + i) - load<i32>(g + i));
}

/** h = -f. */
export function feNeg(h: usize, f: usize): void {
  for (let i: usize = 0; i < 40; i += 4) store<i32>(h + i, -load<i32>(f + i));
}

export function feCopy(h: usize, f: usize): void {
  memory.copy(h, f, 40);
}

/** h = n, a small integer. */
export function feSetInt(h: usize, n: i32): void {
  memory.fill(h, 0, 40);
  store<i32>(h, n);
}

/**
 * h = the low 255 bits of the 32 little-endian bytes at `s` (any alignment), top bit ignored.
 * Values from p to 2^255 - 1 are kept as they are: ZIP-215 accepts non-canonical encodings.
 */
export function feFromBytes(h: usize, s: usize): void {
  // Limb i holds bits [ceil(25.5 i), ceil(25.5 (i + 1))); each fits one unaligned u32 load.
  store<i32>(h, <i32>(load<u32>(s, 0, 1) & 0x3ffffff), 0);
  store<i32>(h, <i32>((load<u32>(s, 3, 1) >>> 2) & 0x1ffffff), 4);
  store<i32>(h, <i32>((load<u32>(s, 6, 1) >>> 3) & 0x3ffffff), 8);
  store<i32>(h, <i32>((load<u32>(s, 9, 1) >>> 5) & 0x1ffffff), 12);
  store<i32>(h, <i32>((load<u32>(s, 12, 1) >>> 6) & 0x3ffffff), 16);
  store<i32>(h, <i32>(load<u32>(s, 16, 1) & 0x1ffffff), 20);
  store<i32>(h, <i32>((load<u32>(s, 19, 1) >>> 1) & 0x3ffffff), 24);
  store<i32>(h, <i32>((load<u32>(s, 22, 1) >>> 3) & 0x1ffffff), 28);
  store<i32>(h, <i32>((load<u32>(s, 25, 1) >>> 4) & 0x3ffffff), 32);
  store<i32>(h, <i32>((load<u32>(s, 28, 1) >>> 6) & 0x1ffffff), 36);
}

/**
 * Reduces f to its unique representative in [0, p), limbs carried and non-negative, at `h`
 * (ref10's fe_tobytes without the packing). Accepts uncarried sums and differences.
 */
export function feCanonical(h: usize, f: usize): void {
  // Carry once so every limb is within ref10's output bounds, then find q = floor(h / p).
  carryStore(h, limb(f, 0), limb(f, 1), limb(f, 2), limb(f, 3), limb(f, 4), limb(f, 5), limb(f, 6), limb(f, 7), limb(f, 8), limb(f, 9));
  let h0 = limb(h, 0), h1 = limb(h, 1), h2 = limb(h, 2), h3 = limb(h, 3), h4 = limb(h, 4);
  let h5 = limb(h, 5), h6 = limb(h, 6), h7 = limb(h, 7), h8 = limb(h, 8), h9 = limb(h, 9);
  let c: i64;
  let q = (19 * h9 + 0x1000000) >> 25;
  q = (h0 + q) >> 26;
  q = (h1 + q) >> 25;
  q = (h2 + q) >> 26;
  q = (h3 + q) >> 25;
  q = (h4 + q) >> 26;
  q = (h5 + q) >> 25;
  q = (h6 + q) >> 26;
  q = (h7 + q) >> 25;
  q = (h8 + q) >> 26;
  q = (h9 + q) >> 25;
  h0 += 19 * q;
  c = h0 >> 26; h1 += c; h0 -= c << 26;
  c = h1 >> 25; h2 += c; h1 -= c << 25;
  c = h2 >> 26; h3 += c; h2 -= c << 26;
  c = h3 >> 25; h4 += c; h3 -= c << 25;
  c = h4 >> 26; h5 += c; h4 -= c << 26;
  c = h5 >> 25; h6 += c; h5 -= c << 25;
  c = h6 >> 26; h7 += c; h6 -= c << 26;
  c = h7 >> 25; h8 += c; h7 -= c << 25;
  c = h8 >> 26; h9 += c; h8 -= c << 26;
  h9 &= 0x1ffffff;
  storeLimbs(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/** Whether f is 0 mod p. `t` is a scratch element. */
export function feIsZero(f: usize, t: usize): bool {
  feCanonical(t, f);
  return (load<u64>(t, 0) | load<u64>(t, 8) | load<u64>(t, 16) | load<u64>(t, 24) | load<u64>(t, 32)) == 0;
}

/** Whether the canonical representative of f is odd (RFC 8032's "negative" x). */
export function feIsNegative(f: usize, t: usize): bool {
  feCanonical(t, f);
  return (load<i32>(t) & 1) != 0;
}

const T0: usize = memory.data(40, 8);
const T1: usize = memory.data(40, 8);
const T2: usize = memory.data(40, 8);

function feSqTimes(h: usize, f: usize, n: i32): void {
  feSq(h, f);
  for (let i = 1; i < n; i++) feSq(h, h);
}

/** h = z^((p - 5) / 8) = z^(2^252 - 3), the exponent of a square root (ref10's addition chain). */
export function fePow22523(h: usize, z: usize): void {
  feSq(T0, z);
  feSqTimes(T1, T0, 2);
  feMul(T1, z, T1);
  feMul(T0, T0, T1);
  feSq(T0, T0);
  feMul(T0, T1, T0); // z^(2^5 - 1)
  feSqTimes(T1, T0, 5);
  feMul(T0, T1, T0); // z^(2^10 - 1)
  feSqTimes(T1, T0, 10);
  feMul(T1, T1, T0); // z^(2^20 - 1)
  feSqTimes(T2, T1, 20);
  feMul(T1, T2, T1); // z^(2^40 - 1)
  feSqTimes(T1, T1, 10);
  feMul(T0, T1, T0); // z^(2^50 - 1)
  feSqTimes(T1, T0, 50);
  feMul(T1, T1, T0); // z^(2^100 - 1)
  feSqTimes(T2, T1, 100);
  feMul(T1, T2, T1); // z^(2^200 - 1)
  feSqTimes(T1, T1, 50);
  feMul(T0, T1, T0); // z^(2^250 - 1)
  feSqTimes(T0, T0, 2);
  feMul(h, T0, z);
}
