// FastCDC content-defined chunking exactly as nlfiedler/fastcdc-rs 4.0.1. The 2020 algorithm
// (`v2020::cut`, SPECS.md §7.2): a gear hash rolled two bytes per step from `min`, a harder
// mask before `avg` and an easier one after it (normalized chunking), and `max` as a hard cap.
// And the `ronomon` variant (§7.3, the cut points of @ronomon/deduplication): a 31-bit hash
// shifted right, one byte per step. Hashes only cross the ABI through memory: exports stay i32.
import { GEAR, GEAR_LS, RONOMON } from './fastcdc-tables';

// Masks by number of one bits, from fastcdc-rs (`MASKS`); 0–4 are padding, 5 and 25 only
// reachable with normalization level 3.
// @ts-ignore: decorator
@lazy const MASKS: StaticArray<u64> = [
  0, 0, 0, 0, 0,
  0x0000000001804110, 0x0000000001803110, 0x0000000018035100, 0x0000001800035300,
  0x0000019000353000, 0x0000590003530000, 0x0000d90003530000, 0x0000d90103530000,
  0x0000d90303530000, 0x0000d90313530000, 0x0000d90f03530000, 0x0000d90303537000,
  0x0000d90703537000, 0x0000d90707537000, 0x0000d91707537000, 0x0000d91747537000,
  0x0000d91767537000, 0x0000d93767537000, 0x0000d93777537000, 0x0000d93777577000,
  0x0000db3777577000,
];

/** Returned by `fastcdcCut` when the window is shorter than `max` and does not end the stream. */
export const CUT_NEED_MORE = -1;
/** Returned by `fastcdcCut` for sizes or a level outside fastcdc-rs's limits. */
export const CUT_BAD_PARAMS = -2;
/** `checkWindow`: nothing decided yet, scan the window. */
const CUT_SCAN = -3;

// The seed currently xored into GEAR / GEAR_LS (0: the published tables).
let seedLo: u32 = 0;
let seedHi: u32 = 0;

/**
 * Switches the gear tables to seed `hi:lo` (fastcdc-rs `with_level_and_seed`:
 * GEAR[i] ^ seed, GEAR_LS[i] ^ (seed << 1)). Seed 0 restores the published tables.
 */
export function fastcdcSeed(lo: u32, hi: u32): void {
  const delta = ((<u64>(seedHi ^ hi)) << 32) | <u64>(seedLo ^ lo);
  if (delta == 0) return;
  const deltaLs = delta << 1;
  const gear = changetype<usize>(GEAR);
  const gearLs = changetype<usize>(GEAR_LS);
  for (let i: usize = 0; i < 256 << 3; i += 8) {
    store<u64>(gear + i, load<u64>(gear + i) ^ delta);
    store<u64>(gearLs + i, load<u64>(gearLs + i) ^ deltaLs);
  }
  seedLo = lo;
  seedHi = hi;
}

/** round(log2(v)) for v ≥ 1, exactly (fastcdc-rs rounds the f64 logarithm; 4.0.1). */
function roundedLog2(v: u32): u32 {
  const k = <u32>(31 - clz<u32>(v));
  // log2(v) rounds up iff v ≥ 2^(k + 1/2), i.e. v² ≥ 2^(2k + 1); never a tie for integers.
  return <u64>v * <u64>v >= (<u64>1) << (2 * k + 1) ? k + 1 : k;
}

// @ts-ignore: decorator
@inline function cutAt(hashOut: usize, hash: u64, length: u32): i32 {
  store<u64>(hashOut, hash, 0, 1);
  return <i32>length;
}

/**
 * What both variants decide before scanning: bad parameters (v2020's limits, which also bound
 * the host's window), a window too short to decide without more bytes, or a tail no longer
 * than `min` (one chunk, hash 0). Otherwise CUT_SCAN.
 */
// @ts-ignore: decorator
@inline function checkWindow(len: u32, min: u32, avg: u32, max: u32, level: u32, eof: i32, hashOut: usize): i32 {
  if (min < 64 || min > 1_048_576 || avg < 256 || avg > 4_194_304 || max < 1024 || max > 16_777_216) return CUT_BAD_PARAMS;
  if (min > avg || avg > max || level > 3) return CUT_BAD_PARAMS;
  if (len < max && eof == 0) return CUT_NEED_MORE;
  if (len <= min) return cutAt(hashOut, 0, len);
  return CUT_SCAN;
}

/**
 * Finds the end of the chunk that starts at `src`, in a window of `len` bytes, and writes the
 * chunk's gear hash (u64, little-endian) to `hashOut`. Returns the chunk's length, or
 * CUT_NEED_MORE when `len < max` and `eof` is 0 (the cut could depend on bytes not yet seen),
 * or CUT_BAD_PARAMS. With `eof` set the window's last byte ends the stream.
 */
export function fastcdcCut(src: usize, len: u32, min: u32, avg: u32, max: u32, level: u32, eof: i32, hashOut: usize): i32 {
  const early = checkWindow(len, min, avg, max, level, eof, hashOut);
  if (early != CUT_SCAN) return early;
  const bits = roundedLog2(avg);
  const maskS = unchecked(MASKS[bits + level]);
  const maskL = unchecked(MASKS[bits - level]);
  const n = len > max ? max : len;
  const center = n < avg ? n : avg;
  const gear = changetype<usize>(GEAR);
  const gearLs = changetype<usize>(GEAR_LS);
  let hash: u64 = 0;
  let i = min >>> 1;
  // Two bytes per step: shifting the hash by 2 and adding GEAR_LS (pre-shifted by 1) for the
  // first byte is the same as two single-byte steps; the shifted mask tests the first byte.
  for (let phase = 0; phase < 2; phase++) {
    const mask = phase == 0 ? maskS : maskL;
    const maskLs = mask << 1;
    const end = (phase == 0 ? center : n) >>> 1;
    for (; i < end; i++) {
      const a = src + (<usize>i << 1);
      hash = (hash << 2) + load<u64>(gearLs + (<usize>load<u8>(a) << 3));
      if ((hash & maskLs) == 0) return cutAt(hashOut, hash, i << 1);
      hash += load<u64>(gear + (<usize>load<u8>(a, 1) << 3));
      if ((hash & mask) == 0) return cutAt(hashOut, hash, (i << 1) + 1);
    }
  }
  return cutAt(hashOut, hash, n);
}

/**
 * The ronomon variant of `fastcdcCut` (same window contract; the hash written is u32,
 * zero-extended). Masks are low bits, 1 bit of normalization each way; the switch to the easier
 * mask comes at `avg - min(avg, min + ceil(min / 2))`, and a match includes its byte.
 */
export function fastcdcCutRonomon(src: usize, len: u32, min: u32, avg: u32, max: u32, eof: i32, hashOut: usize): i32 {
  const early = checkWindow(len, min, avg, max, 0, eof, hashOut);
  if (early != CUT_SCAN) return early;
  const bits = roundedLog2(avg);
  const maskS: u32 = (1 << (bits + 1)) - 1;
  const maskL: u32 = (1 << (bits - 1)) - 1;
  const n = len > max ? max : len;
  const lead = min + ((min + 1) >>> 1);
  const switchAt = avg - (lead < avg ? lead : avg);
  const table = changetype<usize>(RONOMON);
  let hash: u32 = 0;
  let i = min;
  for (let phase = 0; phase < 2; phase++) {
    const mask = phase == 0 ? maskS : maskL;
    const end = phase == 0 && switchAt < n ? switchAt : n;
    for (; i < end; i++) {
      hash = (hash >>> 1) + load<u32>(table + (<usize>load<u8>(src + i) << 2));
      if ((hash & mask) == 0) return cutAt(hashOut, hash, i + 1);
    }
  }
  return cutAt(hashOut, hash, n);
}
