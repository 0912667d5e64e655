// Scalars modulo the group order ℓ = 2^252 + 27742317777372353535851937790883648493, and their
// signed-window (wNAF) digits. Numbers are little-endian: 32-bit limbs in memory, or bytes.
// Reduction is Barrett's (Handbook of Applied Cryptography 14.42, base 2^32, k = 8).

// @ts-ignore: decorator
@lazy const L: StaticArray<u32> = [0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de, 0, 0, 0, 0x10000000];
// floor(2^512 / ℓ)
// @ts-ignore: decorator
@lazy const MU: StaticArray<u32> = [0x0a2c131b, 0xed9ce5a3, 0x086329a7, 0x2106215d, 0xffffffeb, 0xffffffff, 0xffffffff, 0xffffffff, 0xf];

const X: usize = memory.data(64, 8); // the 512-bit number being reduced
const Q2: usize = memory.data(72, 8);
const R: usize = memory.data(36, 8);

/** Whether the 32 little-endian bytes at `s` (any alignment) encode a number below ℓ. */
export function scIsCanonical(s: usize): bool {
  for (let i = 7; i >= 0; i--) {
    const w = load<u32>(s + (<usize>i << 2), 0, 1);
    const l = unchecked(L[i]);
    if (w != l) return w < l;
  }
  return false;
}

/** out (8 limbs) = X mod ℓ, X being the 16 limbs at the static X. */
function reduceX(out: usize): void {
  // q2 = floor(X / 2^224) * μ; q3 = floor(q2 / 2^288) is its limbs 9..17.
  memory.fill(Q2, 0, 72);
  for (let i: usize = 0; i < 9; i++) {
    const a = <u64>load<u32>(X + ((i + 7) << 2));
    let carry: u64 = 0;
    for (let j: usize = 0; j < 9; j++) {
      const at = Q2 + ((i + j) << 2);
      const t = a * <u64>unchecked(MU[<i32>j]) + <u64>load<u32>(at) + carry;
      store<u32>(at, <u32>t);
      carry = t >>> 32;
    }
    store<u32>(Q2 + ((i + 9) << 2), <u32>carry);
  }
  // r = (X mod 2^288) - (q3 * ℓ mod 2^288), wrapping mod 2^288.
  memory.fill(R, 0, 36);
  for (let i = 0; i < 9; i++) {
    const a = <u64>load<u32>(Q2 + (<usize>(i + 9) << 2));
    let carry: u64 = 0;
    for (let j = 0; i + j < 9 && j < 8; j++) {
      const at = R + (<usize>(i + j) << 2);
      const t = a * <u64>unchecked(L[j]) + <u64>load<u32>(at) + carry;
      store<u32>(at, <u32>t);
      carry = t >>> 32;
    }
    if (i + 8 < 9) store<u32>(R + (<usize>(i + 8) << 2), load<u32>(R + (<usize>(i + 8) << 2)) + <u32>carry);
  }
  let borrow: i64 = 0;
  for (let i: usize = 0; i < 9; i++) {
    const t = <i64>load<u32>(X + (i << 2)) - <i64>load<u32>(R + (i << 2)) + borrow;
    store<u32>(R + (i << 2), <u32>t);
    borrow = t >> 32;
  }
  // r < 3ℓ: subtract ℓ at most twice.
  while (!below(R)) {
    borrow = 0;
    for (let i: usize = 0; i < 9; i++) {
      const t = <i64>load<u32>(R + (i << 2)) - <i64>(i < 8 ? unchecked(L[<i32>i]) : 0) + borrow;
      store<u32>(R + (i << 2), <u32>t);
      borrow = t >> 32;
    }
  }
  memory.copy(out, R, 32);
}

/** Whether the 9-limb number at `r` is below ℓ. */
function below(r: usize): bool {
  if (load<u32>(r, 32) != 0) return false;
  for (let i = 7; i >= 0; i--) {
    const w = load<u32>(r + (<usize>i << 2));
    const l = unchecked(L[i]);
    if (w != l) return w < l;
  }
  return false;
}

/** out = the 64 little-endian bytes at `h` (a SHA-512 digest, any alignment) mod ℓ. */
export function scReduce512(out: usize, h: usize): void {
  for (let i: usize = 0; i < 64; i += 4) store<u32>(X + i, load<u32>(h + i, 0, 1));
  reduceX(out);
}

/** out = (a * b + c) mod ℓ; a, b, c are 8-limb numbers below 2^256 (`out` may alias any). */
export function scMulAdd(out: usize, a: usize, b: usize, c: usize): void {
  memory.copy(X, c, 32);
  memory.fill(X + 32, 0, 32);
  for (let i: usize = 0; i < 8; i++) {
    const ai = <u64>load<u32>(a + (i << 2));
    let carry: u64 = 0;
    for (let j: usize = 0; j < 8; j++) {
      const at = X + ((i + j) << 2);
      const t = ai * <u64>load<u32>(b + (j << 2)) + <u64>load<u32>(at) + carry;
      store<u32>(at, <u32>t);
      carry = t >>> 32;
    }
    for (let k = i + 8; carry != 0 && k < 16; k++) {
      const at = X + (k << 2);
      const t = <u64>load<u32>(at) + carry;
      store<u32>(at, <u32>t);
      carry = t >>> 32;
    }
  }
  reduceX(out);
}

/**
 * Writes the width-`w` non-adjacent form of the scalar at `s` (32 bytes, below 2^255) as 256
 * signed digits at `naf`: each non-zero digit is odd with |d| < 2^(w-1), and any two non-zero
 * digits are at least `w` positions apart. Returns 1 + the position of the highest non-zero digit (0 for
 * the zero scalar). (The window walk of curve25519-dalek's `non_adjacent_form`.)
 */
export function scNaf(naf: usize, s: usize, w: i32): i32 {
  memory.fill(naf, 0, 256);
  const width: u32 = 1 << w;
  const mask: u64 = <u64>(width - 1);
  let carry: u32 = 0;
  let top: i32 = 0;
  let pos: i32 = 0;
  while (pos < 256) {
    const idx = pos >>> 6;
    const bit = <u64>(pos & 63);
    const lo = load<u64>(s + (<usize>idx << 3), 0, 1);
    let buf = lo >>> bit;
    if (bit > <u64>(64 - w) && idx < 3) buf |= load<u64>(s + (<usize>(idx + 1) << 3), 0, 1) << (64 - bit);
    const window = carry + <u32>(buf & mask);
    if ((window & 1) == 0) {
      pos++;
      continue;
    }
    let d: i32;
    if (window < (width >>> 1)) {
      carry = 0;
      d = <i32>window;
    } else {
      carry = 1;
      d = <i32>window - <i32>width;
    }
    store<i8>(naf + <usize>pos, <i8>d);
    top = pos + 1;
    pos += w;
  }
  return top;
}
