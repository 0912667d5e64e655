// The twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255 - 19) (ed25519's group),
// in ref10's coordinate systems: extended (X:Y:Z:T, x = X/Z, y = Y/Z, xy = T/Z), "completed"
// (the output of an addition or doubling, X/Z and Y/T), and "cached" (Y+X, Y-X, Z, 2dT) for a
// point that is added many times. Points are 4 field elements = 160 bytes at an address; a
// projective point uses only the first three. Variable-time: verification handles public data.
import {
  FE, feAdd, feSub, feMul, feSq, feSq2, feNeg, feCopy, feSetInt, feFromBytes, feIsZero, feIsNegative, fePow22523,
} from './field25519';

/** Bytes of one point in any of the coordinate systems. */
export const POINT: usize = 4 * FE;
const X: usize = 0;
const Y: usize = FE;
const Z: usize = 2 * FE;
const T: usize = 3 * FE;

// Little-endian encodings of the curve constant d = -121665/121666, 2d, and sqrt(-1) mod p.
const D_BYTES = memory.data<u8>([
  0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
  0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52]);
const D2_BYTES = memory.data<u8>([
  0x59, 0xf1, 0xb2, 0x26, 0x94, 0x9b, 0xd6, 0xeb, 0x56, 0xb1, 0x83, 0x82, 0x9a, 0x14, 0xe0, 0x00,
  0x30, 0xd1, 0xf3, 0xee, 0xf2, 0x80, 0x8e, 0x19, 0xe7, 0xfc, 0xdf, 0x56, 0xdc, 0xd9, 0x06, 0x24]);
const SQRTM1_BYTES = memory.data<u8>([
  0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f, 0xad, 0x06, 0x18, 0x43, 0x2f,
  0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b]);
const D: usize = memory.data(<i32>FE, 8);
const D2: usize = memory.data(<i32>FE, 8);
const SQRTM1: usize = memory.data(<i32>FE, 8);
let constantsLoaded = false;

function loadConstants(): void {
  if (constantsLoaded) return;
  feFromBytes(D, D_BYTES);
  feFromBytes(D2, D2_BYTES);
  feFromBytes(SQRTM1, SQRTM1_BYTES);
  constantsLoaded = true;
}

const U: usize = memory.data(<i32>FE, 8);
const V: usize = memory.data(<i32>FE, 8);
const V3: usize = memory.data(<i32>FE, 8);
const W: usize = memory.data(<i32>FE, 8);
const F0: usize = memory.data(<i32>FE, 8);

/**
 * Decodes 32 bytes at `s` (any alignment) to the extended point `p`, with ZIP-215's rules: the
 * y coordinate may be non-canonical (y ≥ p is taken mod p), and x = 0 may carry either sign
 * bit. Returns false when y is not the coordinate of a curve point.
 */
export function geDecode(p: usize, s: usize): bool {
  loadConstants();
  const x = p + X, y = p + Y, z = p + Z;
  feFromBytes(y, s);
  feSetInt(z, 1);
  feSq(U, y);
  feMul(V, U, D);
  feSub(U, U, z); // u = y^2 - 1
  feAdd(V, V, z); // v = d y^2 + 1
  feSq(V3, V);
  feMul(V3, V3, V); // v^3
  feSq(x, V3);
  feMul(x, x, V);
  feMul(x, x, U); // u v^7
  fePow22523(x, x);
  feMul(x, x, V3);
  feMul(x, x, U); // x = u v^3 (u v^7)^((p - 5) / 8)
  feSq(W, x);
  feMul(W, W, V); // v x^2
  feSub(F0, W, U);
  if (!feIsZero(F0, F0)) {
    feAdd(F0, W, U);
    if (!feIsZero(F0, F0)) return false;
    feMul(x, x, SQRTM1);
  }
  if (feIsNegative(x, F0) != ((load<u8>(s, 31) >>> 7) != 0)) feNeg(x, x);
  feMul(p + T, x, y);
  return true;
}

/** p = the neutral element. */
export function geIdentity(p: usize): void {
  feSetInt(p + X, 0);
  feSetInt(p + Y, 1);
  feSetInt(p + Z, 1);
  feSetInt(p + T, 0);
}

/** p = -p (extended). */
export function geNegate(p: usize): void {
  feNeg(p + X, p + X);
  feNeg(p + T, p + T);
}

/** r (completed) = 2 p (projective or extended). */
export function geDouble(r: usize, p: usize): void {
  feSq(r + X, p + X);
  feSq(r + Z, p + Y);
  feSq2(r + T, p + Z);
  feAdd(r + Y, p + X, p + Y);
  feSq(F0, r + Y);
  feAdd(r + Y, r + Z, r + X);
  feSub(r + Z, r + Z, r + X);
  feSub(r + X, F0, r + Y);
  feSub(r + T, r + T, r + Z);
}

/** r (completed) = p (extended) + q (cached), or p - q when `subtract`. */
export function geAddCached(r: usize, p: usize, q: usize, subtract: bool): void {
  feAdd(r + X, p + Y, p + X);
  feSub(r + Y, p + Y, p + X);
  feMul(r + Z, r + X, q + (subtract ? Y : X));
  feMul(r + Y, r + Y, q + (subtract ? X : Y));
  feMul(r + T, q + T, p + T);
  feMul(r + X, p + Z, q + Z);
  feAdd(F0, r + X, r + X);
  feSub(r + X, r + Z, r + Y);
  feAdd(r + Y, r + Z, r + Y);
  if (subtract) {
    feSub(r + Z, F0, r + T);
    feAdd(r + T, F0, r + T);
  } else {
    feAdd(r + Z, F0, r + T);
    feSub(r + T, F0, r + T);
  }
}

/** r (projective) = c (completed). `r` may not alias `c`. */
export function geToProjective(r: usize, c: usize): void {
  feMul(r + X, c + X, c + T);
  feMul(r + Y, c + Y, c + Z);
  feMul(r + Z, c + Z, c + T);
}

/** r (extended) = c (completed). `r` may not alias `c`. */
export function geToExtended(r: usize, c: usize): void {
  feMul(r + X, c + X, c + T);
  feMul(r + Y, c + Y, c + Z);
  feMul(r + Z, c + Z, c + T);
  feMul(r + T, c + X, c + Y);
}

/** r (cached) = p (extended). */
export function geToCached(r: usize, p: usize): void {
  feAdd(r + X, p + Y, p + X);
  feSub(r + Y, p + Y, p + X);
  feCopy(r + Z, p + Z);
  feMul(r + T, p + T, D2);
}

const C1: usize = memory.data(<i32>POINT, 8);
const C2: usize = memory.data(<i32>POINT, 8);
const E1: usize = memory.data(<i32>POINT, 8);

/** Writes p, 3p, 5p, …, (2n - 1)p in cached form at `table` (n entries of POINT bytes). */
export function geOddMultiples(table: usize, p: usize, n: i32): void {
  loadConstants();
  geToCached(table, p);
  geDouble(C1, p);
  geToExtended(E1, C1);
  geToCached(C2, E1); // 2p
  feCopy(E1 + X, p + X); feCopy(E1 + Y, p + Y); feCopy(E1 + Z, p + Z); feCopy(E1 + T, p + T);
  for (let i = 1; i < n; i++) {
    geAddCached(C1, E1, C2, false);
    geToExtended(E1, C1);
    geToCached(table + <usize>i * POINT, E1);
  }
}

/** Whether [8]p is the neutral element, i.e. p has small order (p extended or projective). */
export function geIsSmallOrder(p: usize, work: usize): bool {
  const c = work, q = work + POINT;
  geDouble(c, p);
  geToProjective(q, c);
  geDouble(c, q);
  geToProjective(q, c);
  geDouble(c, q);
  geToProjective(q, c);
  // (X : Y : Z) is the neutral element iff X = 0 and Y = Z.
  if (!feIsZero(q + X, c)) return false;
  feSub(c + X, q + Y, q + Z);
  return feIsZero(c + X, c + Y);
}

/**
 * Straus's simultaneous multi-scalar multiplication: r (extended) = Σ_j [s_j] P_j - [b] B,
 * where point j has the odd-multiples table (8 cached entries) at `tables + j * 8 * POINT` and
 * the width-5 NAF of s_j at `nafs + 256 j`, and B has the table `bTable` of `bTableSize`
 * entries and NAF `bNaf` of the matching width. `top` bounds the NAF positions in use.
 */
export function geStraus(r: usize, tables: usize, nafs: usize, n: i32, bTable: usize, bNaf: usize, top: i32): void {
  geIdentity(r);
  const c = C1;
  for (let i = top - 1; i >= 0; i--) {
    geDouble(c, r);
    for (let j = 0; j < n; j++) {
      const d = <i32>load<i8>(nafs + (<usize>j << 8) + <usize>i);
      if (d == 0) continue;
      geToExtended(r, c);
      const entry = tables + (<usize>j << 3) * POINT + <usize>((d < 0 ? -d : d) >> 1) * POINT;
      geAddCached(c, r, entry, d < 0);
    }
    const b = <i32>load<i8>(bNaf + <usize>i);
    if (b != 0) {
      geToExtended(r, c);
      geAddCached(c, r, bTable + <usize>((b < 0 ? -b : b) >> 1) * POINT, b > 0);
    }
    // Doubling needs no T; only the final result is extended.
    if (i == 0) geToExtended(r, c);
    else geToProjective(r, c);
  }
}
