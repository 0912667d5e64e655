// Sorting leaves by key hash. Key hashes are uniform, so a stable two-pass radix sort on their
// first 32 bits does almost all the work; the rare runs that share those bits are finished by
// a full comparison. Stability makes "the later entry for a key wins" a matter of keeping the
// last of each run of equal key hashes.

/**
 * Indices into `keyHashes` (n × 32 bytes) ordered by key hash; for equal key hashes only the
 * last index is kept.
 */
export function sortedLatest(keyHashes: Uint8Array): Uint32Array {
  const n = keyHashes.length >>> 5;
  const prefix = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const p = i << 5;
    prefix[i] = ((keyHashes[p] << 24) | (keyHashes[p + 1] << 16) | (keyHashes[p + 2] << 8) | keyHashes[p + 3]) >>> 0;
  }
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = new Uint32Array(n);
  const counts = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((prefix[i] >>> shift) & 0xffff) + 1]++;
    for (let b = 1; b <= 65536; b++) counts[b] += counts[b - 1];
    for (let i = 0; i < n; i++) {
      const idx = order[i];
      spare[counts[(prefix[idx] >>> shift) & 0xffff]++] = idx;
    }
    [order, spare] = [spare, order];
  }
  const compareFull = (a: number, b: number): number => {
    for (let j = 4; j < 32; j++) {
      const d = keyHashes[(a << 5) + j] - keyHashes[(b << 5) + j];
      if (d !== 0) return d;
    }
    return a - b;
  };
  const out = new Uint32Array(n);
  let m = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && prefix[order[j]] === prefix[order[i]]) j++;
    if (j - i === 1) {
      out[m++] = order[i++];
      continue;
    }
    const run = Array.from(order.subarray(i, j)).sort(compareFull);
    for (let r = 0; r < run.length; r++) {
      if (r + 1 === run.length || !sameKey(keyHashes, run[r], run[r + 1])) out[m++] = run[r];
    }
    i = j;
  }
  return out.slice(0, m);
}

function sameKey(keyHashes: Uint8Array, a: number, b: number): boolean {
  for (let j = 0; j < 32; j++) if (keyHashes[(a << 5) + j] !== keyHashes[(b << 5) + j]) return false;
  return true;
}
