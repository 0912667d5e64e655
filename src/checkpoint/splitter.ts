// Content-defined chunk boundaries over a stream of leaves sorted by key hash. Whether a chunk
// ends after a leaf depends only on that leaf (its key hash and size) and the bytes since the
// last boundary, so inserting or changing one key changes its own chunk and at most the next:
// every later boundary falls where it fell before.
import type { ChunkingParams } from '../format/manifest.js';
import { CHUNK_HEADER, LEAF_OVERHEAD } from '../format/chunk.js';
import { InvalidArgument } from '../errors.js';

export const DEFAULT_MAX_CHUNK_BYTES = 1 << 20;

/**
 * Chunking parameters from a maximum size: min = max / 8 and avg = max / 4, so a chunk ends
 * naturally after ~3/8 of the maximum and is cut at the maximum only ~3% of the time.
 */
export function defaultChunking(maxChunkBytes = DEFAULT_MAX_CHUNK_BYTES): ChunkingParams {
  if (!Number.isSafeInteger(maxChunkBytes) || maxChunkBytes < 1024 || maxChunkBytes > 64 << 20) {
    throw new InvalidArgument(`maxChunkBytes must be an integer from 1024 to ${64 << 20}, got ${maxChunkBytes}`);
  }
  return { maxChunkBytes, minChunkBytes: maxChunkBytes >>> 3, avgChunkBytes: maxChunkBytes >>> 2 };
}

export class LeafSplitter {
  private size = CHUNK_HEADER;
  private count = 0;

  constructor(private readonly params: ChunkingParams) {}

  /** True when the current chunk must end before a leaf of `leafBytes` (key + value) bytes. */
  endsBefore(leafBytes: number): boolean {
    return this.count > 0 && this.size + LEAF_OVERHEAD + leafBytes > this.params.maxChunkBytes;
  }

  /**
   * Adds a leaf whose key hash is `keyHash[at, at + 32)`; returns true when the chunk ends after
   * it (a content-defined boundary).
   */
  add(leafBytes: number, keyHash: Uint8Array, at = 0): boolean {
    this.size += LEAF_OVERHEAD + leafBytes;
    this.count++;
    return this.endsAfter(this.size, leafBytes, keyHash, at);
  }

  /**
   * Whether a chunk of `chunkBytes` (encoded, its last leaf included) ends after its last leaf
   * (`leafBytes`, `keyHash`) by content, whatever follows (false for a chunk cut at the size
   * limit, which the next leaf decides).
   */
  endsAfter(chunkBytes: number, leafBytes: number, keyHash: Uint8Array, at = 0): boolean {
    if (chunkBytes < this.params.minChunkBytes) return false;
    // Key hash bytes 28..31 as a uniform fraction of 2^32: the boundary test is a coin with
    // probability bytes / avgChunkBytes that every creator flips the same way for this leaf.
    const coin = ((keyHash[at + 28] << 24) | (keyHash[at + 29] << 16) | (keyHash[at + 30] << 8) | keyHash[at + 31]) >>> 0;
    return coin < ((LEAF_OVERHEAD + leafBytes) / this.params.avgChunkBytes) * 2 ** 32;
  }

  /** Starts a new chunk. */
  reset(): void {
    this.size = CHUNK_HEADER;
    this.count = 0;
  }
}
