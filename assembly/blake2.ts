// BLAKE2b-512 and BLAKE2s-256 (RFC 7693), unkeyed, as one generic compression over u64 / u32
// words. Their IVs are SHA-512's and SHA-256's initial hash values, taken from those modules.
import { initState as sha256InitState } from './sha256';
import { sha512Init } from './sha512';

// @ts-ignore: decorator
@lazy const SIGMA: StaticArray<u8> = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
  11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
  7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
  9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
  2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
  12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
  13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
  6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
  10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
];

const IV: usize = memory.data(64, 16);
const V: usize = memory.data(128, 16);
const M: usize = memory.data(128, 16);

/** Loads the IV of the word size T into IV. */
function loadIv<T extends u64>(): void {
  if (sizeof<T>() == 8) sha512Init(IV, false);
  else sha256InitState(IV);
}

/** Writes the initial state for an unkeyed digest of `outLen` bytes. */
export function blake2Init<T extends u64>(state: usize, outLen: u32): void {
  loadIv<T>();
  memory.copy(state, IV, 8 * sizeof<T>());
  store<T>(state, <T>(load<T>(state) ^ <T>(<u32>0x01010000 | outLen)));
}

// @ts-ignore: decorator
@inline function word<T extends u64>(i: i32): usize {
  return V + <usize>i * sizeof<T>();
}

/** Message word number SIGMA[s + i] of the block. */
// @ts-ignore: decorator
@inline function msg<T extends u64>(s: usize, i: i32): T {
  return load<T>(M + <usize>load<u8>(s + <usize>i) * sizeof<T>());
}

function mix<T extends u64>(a: i32, b: i32, c: i32, d: i32, x: T, y: T): void {
  const wide = sizeof<T>() == 8;
  let va = load<T>(word<T>(a)), vb = load<T>(word<T>(b)), vc = load<T>(word<T>(c)), vd = load<T>(word<T>(d));
  va = <T>(va + vb + x); vd = rotr<T>(<T>(vd ^ va), <T>(wide ? 32 : 16));
  vc = <T>(vc + vd); vb = rotr<T>(<T>(vb ^ vc), <T>(wide ? 24 : 12));
  va = <T>(va + vb + y); vd = rotr<T>(<T>(vd ^ va), <T>(wide ? 16 : 8));
  vc = <T>(vc + vd); vb = rotr<T>(<T>(vb ^ vc), <T>(wide ? 63 : 7));
  store<T>(word<T>(a), va); store<T>(word<T>(b), vb); store<T>(word<T>(c), vc); store<T>(word<T>(d), vd);
}

/** Compresses one block at `block`; `counter` = bytes hashed including it; `last` marks the final block. */
export function blake2Compress<T extends u64>(state: usize, block: usize, counter: u64, last: bool): void {
  const w = sizeof<T>();
  memory.copy(M, block, 16 * w);
  memory.copy(V, state, 8 * w);
  memory.copy(V + 8 * w, IV, 8 * w);
  store<T>(word<T>(12), <T>(load<T>(word<T>(12)) ^ <T>counter));
  if (w == 4) store<T>(word<T>(13), <T>(load<T>(word<T>(13)) ^ <T>(counter >>> 32)));
  if (last) store<T>(word<T>(14), <T>~load<T>(word<T>(14)));
  const rounds = w == 8 ? 12 : 10;
  for (let r = 0; r < rounds; r++) {
    const s = changetype<usize>(SIGMA) + <usize>((r % 10) << 4);
    mix<T>(0, 4, 8, 12, msg<T>(s, 0), msg<T>(s, 1));
    mix<T>(1, 5, 9, 13, msg<T>(s, 2), msg<T>(s, 3));
    mix<T>(2, 6, 10, 14, msg<T>(s, 4), msg<T>(s, 5));
    mix<T>(3, 7, 11, 15, msg<T>(s, 6), msg<T>(s, 7));
    mix<T>(0, 5, 10, 15, msg<T>(s, 8), msg<T>(s, 9));
    mix<T>(1, 6, 11, 12, msg<T>(s, 10), msg<T>(s, 11));
    mix<T>(2, 7, 8, 13, msg<T>(s, 12), msg<T>(s, 13));
    mix<T>(3, 4, 9, 14, msg<T>(s, 14), msg<T>(s, 15));
  }
  for (let i = 0; i < 8; i++) {
    const at = state + <usize>i * w;
    store<T>(at, <T>(load<T>(at) ^ load<T>(word<T>(i)) ^ load<T>(word<T>(i + 8))));
  }
}
