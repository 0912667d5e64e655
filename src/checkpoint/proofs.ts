// Getting one chunk's range proof, wherever the format keeps it (../format/proof-pack.ts): its
// own file (format version 1) or a slice of its pack (version 2). A pack is fetched once per
// source and shared by the chunks it holds, so a transfer asks each mirror for every pack once,
// not once per chunk. The bytes are not trusted here: the verifier checks each proof against its
// digest in the manifest, and a pack against its own before any chunk uses it.
import type { Source } from '../net/source.js';
import type { Store } from '../store/store.js';
import type { Manifest } from '../format/manifest.js';
import { proofLocation } from '../format/proof-pack.js';
import { sha256Whole } from '../hash/sha256.js';
import { toHex } from '../hex.js';
import { ChunkCorrupted } from '../errors.js';

/**
 * Packs kept per source: a transfer works through the chunks in order, so at most two are in use
 * at once (at a pack boundary). A pack is at most 256 × 64 KiB, so this bounds what a transfer holds.
 */
const PACKS_KEPT = 2;

/** The proof of chunk `index` from what `store` holds of `manifest`'s files, or undefined if it lacks them. */
export async function readStoredProof(store: Store, manifest: Manifest, index: number): Promise<Uint8Array | undefined> {
  const at = proofLocation(manifest, index);
  const file = await store.get(at.path);
  if (!file || file.length !== at.fileSize) return undefined;
  // A copy, so a cached proof does not keep its whole pack alive.
  return at.offset === 0 && at.size === file.length ? file : file.slice(at.offset, at.offset + at.size);
}

/** Fetches chunks' proofs from sources for one transfer of `manifest`. */
export class ProofFetcher {
  private readonly packs = new WeakMap<Source, Map<number, Promise<Uint8Array>>>();

  constructor(private readonly manifest: Manifest) {}

  /** Chunk `index`'s proof from `source` (ChunkNotFound, ChunkCorrupted, SourceUnavailable as the source fails). */
  async fetch(source: Source, index: number, signal?: AbortSignal): Promise<Uint8Array> {
    const at = proofLocation(this.manifest, index);
    if (at.pack === undefined) return source.fetch(at.path, { maxBytes: at.size, signal });
    let kept = this.packs.get(source);
    if (!kept) this.packs.set(source, kept = new Map());
    let pack = kept.get(at.pack);
    if (!pack) {
      // Shared by the chunks of the pack, so not tied to one chunk's signal (a chunk whose
      // other source won stops waiting below; the pack still serves its neighbours).
      pack = fetchPack(source, at.path, at.fileDigest, at.fileSize);
      kept.set(at.pack, pack);
      if (kept.size > PACKS_KEPT) kept.delete(kept.keys().next().value!);
      const packIndex = at.pack;
      // A pack that does not match its digest stays refused (the source would send it again: its
      // other chunks go to the next source at once); any other failure may pass, so the next chunk asks again.
      pack.catch((err: unknown) => {
        if (!(err instanceof ChunkCorrupted) && kept.get(packIndex) === pack) kept.delete(packIndex);
      });
    }
    const bytes = await untilAborted(pack, signal);
    // A copy, not a view: a store that clones what it is given (IndexedDB's structured clone
    // takes a view's whole buffer) would otherwise keep the whole pack in every progress record.
    return bytes.slice(at.offset, at.offset + at.size);
  }
}

async function fetchPack(source: Source, path: string, digest: string, size: number): Promise<Uint8Array> {
  const bytes = await source.fetch(path, { maxBytes: size });
  if (bytes.length !== size || toHex(await sha256Whole(bytes)) !== digest) {
    throw new ChunkCorrupted(`proof pack ${path} does not match its digest`);
  }
  return bytes;
}

/** `promise`, or the signal's abort reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
