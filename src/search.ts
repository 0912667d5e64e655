// Binary search over sorted numbers, shared by the places that look up positions in sorted lists.

/** The first index in [lo, hi) whose value is at least `x` in `sorted` (ascending); hi if none. */
export function firstAtLeast(sorted: ArrayLike<number>, x: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
