// The host's view of linear memory: one scratch region, starting past the static data,
// that the host fills with inputs and reads outputs from. The core never allocates, so
// nothing can leak between calls (TOOLCHAIN.md pitfall P8).

/** First byte of the scratch region, 64-byte aligned for SIMD loads. */
export const SCRATCH_BASE: usize = (__heap_base + 63) & ~<usize>63;

/** Largest scratch region the host may ask for (1 GiB): bounds every call's memory. */
export const SCRATCH_MAX: usize = 1 << 30;

/**
 * Makes sure `bytes` of scratch exist and returns its base address, or 0 when `bytes` is over
 * SCRATCH_MAX or memory cannot grow. Growing detaches the host's views of memory.
 */
export function reserve(bytes: usize): usize {
  if (bytes > SCRATCH_MAX) return 0;
  const end = SCRATCH_BASE + bytes;
  const have = (<usize>memory.size()) << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >>> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  return SCRATCH_BASE;
}
