// Verified, decoded chunks of one checkpoint, kept for the next query: a chunk is read from
// the store and checked against the root once (one core call: decode, hash, range proof), then
// answered from memory until it is evicted. Bounded in bytes, least recently used first out.
import type { Store } from '../store/store.js';
import type { Manifest } from '../format/manifest.js';
import type { VerifiedLayout } from '../core/chunk.js';
import { ChunkNotFound } from '../errors.js';
import { verifyAndDecodeChunk } from './verify.js';
import { readStoredProof } from './proofs.js';

/** One chunk of the checkpoint, proven against its root, with its layout and leaf hashes. */
export interface LoadedChunk extends VerifiedLayout {
  index: number;
  bytes: Uint8Array;
  proof: Uint8Array;
}

/** Default bound of a query cache: a few of the largest chunks, many typical ones. */
export const DEFAULT_CACHE_BYTES = 64 << 20;

/** Bytes a loaded chunk holds in memory. */
const footprint = (c: LoadedChunk) => c.bytes.length + c.proof.length + c.hashes.length + 8 * (c.count + 1);

export class ChunkCache {
  /** Loaded (or loading) chunks by index, least recently used first. */
  private readonly entries = new Map<number, Promise<LoadedChunk>>();
  private readonly sizes = new Map<number, number>();
  private bytes = 0;

  constructor(private readonly store: Store, private readonly manifest: Manifest,
    private readonly maxBytes = DEFAULT_CACHE_BYTES) {}

  /** Chunk `index`, verified; concurrent callers share one load. */
  get(index: number): Promise<LoadedChunk> {
    const hit = this.entries.get(index);
    if (hit) {
      this.entries.delete(index);
      this.entries.set(index, hit);
      return hit;
    }
    const loading = this.load(index);
    this.entries.set(index, loading);
    loading.then((chunk) => this.admit(index, footprint(chunk)), () => this.entries.delete(index));
    return loading;
  }

  private async load(index: number): Promise<LoadedChunk> {
    const entry = this.manifest.chunks[index];
    const [bytes, proof] = await Promise.all([this.store.get(`chunks/${entry.digest}`), readStoredProof(this.store, this.manifest, index)]);
    if (!bytes || !proof) throw new ChunkNotFound('the chunk or its proof is missing from the store', { chunk: index });
    const layout = verifyAndDecodeChunk({ root: this.manifest.root, index, entry, chunk: bytes, proof, source: 'the store' });
    return { ...layout, index, bytes, proof };
  }

  private admit(index: number, size: number): void {
    if (this.entries.get(index) === undefined) return;
    if (size > this.maxBytes) {
      this.entries.delete(index); // answered, but not kept: it alone would break the bound
      return;
    }
    this.sizes.set(index, size);
    this.bytes += size;
    // Evict the least recently used until within bounds, never the chunk just loaded.
    for (const [old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      if (old === index) continue;
      const oldSize = this.sizes.get(old);
      if (oldSize === undefined) continue; // still loading
      this.entries.delete(old);
      this.sizes.delete(old);
      this.bytes -= oldSize;
    }
  }
}
