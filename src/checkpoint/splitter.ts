// Content-defined chunk boundaries over a stream of leaves sorted by key hash. A boundary
// depends only on the leaf that ends the chunk (its key hash) and the bytes since the last
// boundary, so inserting or changing one key changes its own chunk and, at most, the next:
// every later boundary falls where it fell before.
import type { ChunkingParams } from '../format/manifest.js';
import { CHUNK_HEADER, LEAF_OVERHEAD } from '../format/chunk.js';
import { InvalidArgument } from '../errors.js';

export const DEFAULT_MAX_CHUNK_BYTES = 1 << 20;

/** Chunking parameters from a maximum size: min = max / 8, boundaries every ~1024 leaves. */
export function defaultChunking(maxChunkBytes = DEFAULT_MAX_CHUNK_BYTES): ChunkingParams {
  if (!Number.isSafeInteger(maxChunkBytes) || maxChunkBytes < 1024 || maxChunkBytes > 64 << 20) {
    throw new InvalidArgument(`maxChunkBytes must be an integer from 1024 to ${64 << 20}, got ${maxChunkBytes}`);
  }
  return { maxChunkBytes, minChunkBytes: maxChunkBytes >>> 3, boundaryBits: 10 };
}

export class LeafSplitter {
  private size = CHUNK_HEADER;
  private count = 0;
  private readonly mask: number;

  constructor(private readonly params: ChunkingParams) {
    this.mask = params.boundaryBits === 32 ? 0xffffffff : (1 << params.boundaryBits) - 1;
  }

  /** True when the current chunk must end before a leaf of `leafBytes` (key + value) bytes. */
  endsBefore(leafBytes: number): boolean {
    return this.count > 0 && this.size + LEAF_OVERHEAD + leafBytes > this.params.maxChunkBytes;
  }

  /** Adds a leaf; returns true when the chunk ends after it (a content-defined boundary). */
  add(leafBytes: number, keyHash: Uint8Array): boolean {
    this.size += LEAF_OVERHEAD + leafBytes;
    this.count++;
    const tail = ((keyHash[28] << 24) | (keyHash[29] << 16) | (keyHash[30] << 8) | keyHash[31]) >>> 0;
    return this.size >= this.params.minChunkBytes && (tail & this.mask) >>> 0 === 0;
  }

  /** Starts a new chunk. */
  reset(): void {
    this.size = CHUNK_HEADER;
    this.count = 0;
  }
}
