// Fixed-size copies of hashes and message pieces. `memory.copy` is a call out of the WASM code
// in engines, which costs more than the move itself at these sizes; these are plain loads and
// stores (v128 in the SIMD build). Accesses carry alignment 1: the pieces sit at any address,
// and wasm2js needs the hint to read unaligned words correctly (sha256.ts).

/** Copies 16 bytes from `src` to `dst` (the ranges do not overlap). */
// @ts-ignore: decorator
@inline export function copy16(dst: usize, src: usize): void {
  if (ASC_FEATURE_SIMD) {
    v128.store(dst, v128.load(src, 0, 1), 0, 1);
  } else {
    store<u64>(dst, load<u64>(src, 0, 1), 0, 1);
    store<u64>(dst, load<u64>(src, 8, 1), 8, 1);
  }
}

/** Copies 32 bytes from `src` to `dst` (the ranges do not overlap). */
// @ts-ignore: decorator
@inline export function copy32(dst: usize, src: usize): void {
  copy16(dst, src);
  copy16(dst + 16, src + 16);
}
