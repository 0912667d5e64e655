// Sample states and checkpoints for the checkpoint tests (both runtimes).
import { memoryStore } from '../src/store/memory.js';
import { storeSource } from '../src/net/store-source.js';
import { createCheckpoint } from '../src/checkpoint/create.js';
import type { Source } from '../src/net/source.js';
import type { Store } from '../src/store/store.js';
import type { Pair } from '../src/tree/pairs.js';
import { rng } from './helpers.js';

const enc = new TextEncoder();

/** `n` pairs with text keys and random values of 20..200 bytes. */
export function samplePairs(n: number, seed = 1): Pair[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => ({ key: enc.encode(`key-${seed}-${i}`), value: r.bytes(20 + r.int(180)) }));
}

export interface Sample {
  pairs: Pair[];
  store: Store;
  source: Source;
  root: string;
  manifestBytes: Uint8Array;
}

/** A checkpoint of `pairs` in a memory store; small chunks so there are many. */
export async function sampleCheckpoint(pairs: Pair[], maxChunkBytes = 4096, version = 1): Promise<Sample> {
  const store = memoryStore();
  const created = await createCheckpoint(pairs, { store, version, maxChunkBytes });
  return { pairs, store, source: storeSource(store, 'origin'), root: created.manifest.root, manifestBytes: created.manifestBytes };
}

/** A source that records every path it serves and can rewrite what it returns. */
export function spySource(inner: Source, name: string, rewrite?: (path: string, bytes: Uint8Array) => Uint8Array): Source & { log: string[] } {
  const log: string[] = [];
  return {
    name,
    log,
    async fetch(path, opts) {
      log.push(path);
      const bytes = await inner.fetch(path, { ...opts, maxBytes: Number.MAX_SAFE_INTEGER });
      const out = rewrite ? rewrite(path, bytes) : bytes;
      if (out.length > opts.maxBytes) {
        const { ChunkCorrupted } = await import('../src/errors.js');
        throw new ChunkCorrupted(`${path} is too large`, { source: name });
      }
      return out;
    },
  };
}
