// Verify or restore a whole checkpoint from untrusted sources against a trusted root, with
// bounded concurrency (so memory stays at concurrency × max chunk size), per-chunk progress,
// and each bad source named.
import type { Source } from '../net/source.js';
import type { Store } from '../store/store.js';
import type { Manifest } from '../format/manifest.js';
import type { TransferProgressEvent } from '../progress.js';
import { fetchAcceptedChunk, fetchManifest, type ChunkAcceptor, type ChunkFileAcceptor } from './fetch.js';
import { localVerifier, type Verifier } from './verify.js';
import { ProofFetcher } from './proofs.js';
import { Restorer, assertRoot } from './restorer.js';
import { WorkerFailed, type LightsnapError } from '../errors.js';
import { assertObject } from '../assert.js';
import { assertStore } from '../store/store.js';
import { assertSources } from '../net/source.js';

export interface TransferOptions {
  /** Mirrors of one checkpoint, tried in turn for each file. */
  sources: readonly Source[];
  /** The trusted root: 64 lowercase hex digits, or what `trustedRoot` (lightsnap/light) proved from the chain. */
  root: string | { readonly root: string };
  verifier?: Verifier;
  /** Chunks in flight at once (default 4). */
  concurrency?: number;
  onProgress?: (event: TransferProgressEvent) => void;
  signal?: AbortSignal;
  /** Milliseconds before a silent mirror is overtaken by the next (default 3000; fetch.ts). */
  hedgeMs?: number;
}

export interface TransferResult {
  manifest: Manifest;
  /** Chunks fetched and verified in this run. */
  fetched: number;
  /** Chunks already in the store (restore only). */
  skipped: number;
  /** Of the fetched chunks, those whose file was already in the store: only the proof was fetched. */
  reused: number;
  /** Every refusal of a source: which chunk, which source, why. */
  badSources: Array<{ chunk: number; source: string; code: string; message: string }>;
}

/** Runs `work` over `items` with at most `limit` running at once; starts nothing new after the first failure. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T, slot: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async (slot: number) => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await work(item, slot);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  // Every lane settles before the first failure is thrown: a store write still in flight must
  // finish (or clean up after itself) before the caller goes on, e.g. to report or to exit.
  const lanes = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, (_, i) => lane(i)));
  const failure = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failure) throw failure.reason;
}

async function transfer(opts: TransferOptions, restorer: Restorer | undefined): Promise<TransferResult> {
  assertObject(opts, 'opts');
  assertSources(opts.sources, 'opts.sources');
  const root = typeof opts.root === 'object' && opts.root !== null ? opts.root.root : opts.root;
  assertRoot(root);
  const { sources, signal } = opts;
  const verifier = opts.verifier ?? localVerifier;
  const phase = restorer ? 'restore' : 'verify';
  verifier.warmUp?.(); // workers start while the manifest is fetched and the store read
  const { manifest, bytes } = await fetchManifest(sources, root, signal, opts.hedgeMs);
  const pending = restorer ? (await restorer.startRestore(bytes, root), restorer.pendingChunks()) : manifest.chunks.map((_, i) => i);
  const total = manifest.chunks.length;
  const bytesTotal = manifest.chunks.reduce((a, c) => a + c.size, 0);
  const result: TransferResult = { manifest, fetched: 0, skipped: total - pending.length, reused: 0, badSources: [] };
  const pendingSet = new Set(pending);
  const proofs = new ProofFetcher(manifest);
  let chunksDone = result.skipped;
  let bytesDone = manifest.chunks.reduce((a, c, i) => a + (pendingSet.has(i) ? 0 : c.size), 0);
  const emit = (e: Partial<TransferProgressEvent>) => opts.onProgress?.({ phase, chunksDone, chunksTotal: total, bytesDone, bytesTotal, ...e });
  emit({});
  await eachLimited(pending, opts.concurrency ?? 4, async (index, slot) => {
    signal?.throwIfAborted();
    const entry = manifest.chunks[index];
    emit({ chunk: index, state: 'fetching' });
    const onBad = (err: LightsnapError, source: Source) => {
      result.badSources.push({ chunk: index, source: source.name, code: err.code, message: err.message });
      emit({ chunk: index, state: 'bad', source: source.name, error: { code: err.code, message: err.message } });
    };
    // The fetched bytes are handed over: a worker pool moves them to its worker rather than copying them.
    const accept: ChunkAcceptor = restorer
      ? async (chunk, proof, source) => void await restorer.restoreChunk(index, chunk, proof, source, { handOver: true })
      : async (chunk, proof, source) => {
        const input = { root, index, entry, chunk, proof, source };
        await (verifier.verifyMovedChunk ? verifier.verifyMovedChunk(input) : verifier.verifyChunk(input));
      };
    // A verifier that reads files (a Node worker pool) reads a local directory's chunk file itself:
    // this thread then neither reads nor hands over those bytes (only a verify: a restore stores them).
    const acceptFile: ChunkFileAcceptor | undefined = !restorer && verifier.verifyChunkFile
      ? (file, proof, source) => verifier.verifyChunkFile!({ root, index, entry, proof, source, ...file })
      : undefined;
    const fetchOnce = async () => {
      const local = await restorer?.localChunk(index);
      const source = await fetchAcceptedChunk(sources, index, entry, proofs, accept, onBad, { signal, first: slot, localChunk: local, hedgeMs: opts.hedgeMs, acceptFile });
      return { source, local: local !== undefined };
    };
    // A worker that died took the bytes moved to it: fetch them again, once (as the pool retries
    // a call whose bytes it still has on a fresh worker).
    const { source, local } = await fetchOnce().catch((err: unknown) => {
      if (err instanceof WorkerFailed) return fetchOnce();
      throw err;
    });
    if (local) result.reused++;
    result.fetched++;
    chunksDone++;
    bytesDone += entry.size;
    emit({ chunk: index, state: restorer ? 'stored' : 'verified', source: source.name });
  });
  return result;
}

/** Fetches and verifies every chunk; stores nothing. Memory: concurrency × max chunk size. */
export function verifyCheckpoint(opts: TransferOptions): Promise<TransferResult> {
  return transfer(opts, undefined);
}

/** Restores into `store`, resuming what an interrupted run left there. */
export async function restoreCheckpoint(opts: TransferOptions & { store: Store }): Promise<TransferResult> {
  assertObject(opts, 'opts');
  assertStore(opts.store, 'opts.store');
  return transfer(opts, new Restorer({ store: opts.store, verifier: opts.verifier }));
}
