// Decoding of checkpoint chunk files (docs/FORMAT.md, "Chunk file"): every length is checked
// against the bytes present and the stated maxima before anything is read.
//
//   "LSC1" | u32le n | u32le keyLen[n] | u32le valueLen[n] | keys back to back | values back to back
//
// Keys and values each sit back to back so that one batch-hash call per kind hashes them all.

export const CHUNK_MAGIC: u32 = 0x3143534c; // "LSC1" read as a little-endian u32
export const CHUNK_HEADER: usize = 8;

// Status codes returned to the host (negative, apart from the range verifier's -1…-12 so one
// call can return either; src/core/status.ts gives their meaning).
export const ERR_TRUNCATED: i32 = -101;
export const ERR_MAGIC: i32 = -102;
export const ERR_TOO_MANY_LEAVES: i32 = -103;
export const ERR_KEY_TOO_LONG: i32 = -104;
export const ERR_LENGTHS: i32 = -105;
export const ERR_EMPTY_KEY: i32 = -106;

/**
 * Checks the layout of the chunk at `src` (`len` bytes) and writes the key offsets (u32[n+1],
 * relative to the keys area) to `keyOffsets` and the value offsets (relative to the values
 * area) to `valueOffsets`. Returns n, or a negative status. Writes the keys area's start
 * (relative to `src`) to `areas[0]` and the values area's start to `areas[1]` (u32 each).
 */
export function chunkLayout(src: usize, len: usize, maxLeaves: u32, maxKeyLen: u32,
  keyOffsets: usize, valueOffsets: usize, areas: usize): i32 {
  if (len < CHUNK_HEADER) return ERR_TRUNCATED;
  if (load<u32>(src, 0, 1) != CHUNK_MAGIC) return ERR_MAGIC;
  const n = load<u32>(src, 4, 1);
  if (n > maxLeaves) return ERR_TOO_MANY_LEAVES;
  const tables = <u64>n * 8;
  if (<u64>(len - CHUNK_HEADER) < tables) return ERR_TRUNCATED;
  const keyLens = src + CHUNK_HEADER;
  const valueLens = keyLens + (<usize>n << 2);
  let keys: u64 = 0;
  let values: u64 = 0;
  store<u32>(keyOffsets, 0);
  store<u32>(valueOffsets, 0);
  for (let i: usize = 0; i < n; i++) {
    const k = load<u32>(keyLens + (i << 2), 0, 1);
    if (k == 0) return ERR_EMPTY_KEY;
    if (k > maxKeyLen) return ERR_KEY_TOO_LONG;
    keys += k;
    values += load<u32>(valueLens + (i << 2), 0, 1);
    // Both sums stay below 2^32 whenever they fit in the chunk, which is checked at the end;
    // stop early when they cannot, so the offsets never wrap.
    if (keys + values > <u64>len) return ERR_LENGTHS;
    store<u32>(keyOffsets + ((i + 1) << 2), <u32>keys);
    store<u32>(valueOffsets + ((i + 1) << 2), <u32>values);
  }
  if (<u64>CHUNK_HEADER + tables + keys + values != <u64>len) return ERR_LENGTHS;
  const keyArea = CHUNK_HEADER + <usize>tables;
  store<u32>(areas, <u32>keyArea);
  store<u32>(areas, <u32>(keyArea + <usize>keys), 4);
  return <i32>n;
}

/**
 * chunkLayout with its outputs in one work area of 2 × (maxLeaves + 1) × 4 + 8 bytes: key
 * offsets (u32[n + 1]), value offsets at `work + (maxLeaves + 1) × 4`, then the two areas' starts.
 */
export function chunkDecode(src: usize, len: usize, maxLeaves: u32, maxKeyLen: u32, work: usize): i32 {
  const valueOffsets = work + ((<usize>maxLeaves + 1) << 2);
  return chunkLayout(src, len, maxLeaves, maxKeyLen, work, valueOffsets, valueOffsets + ((<usize>maxLeaves + 1) << 2));
}
