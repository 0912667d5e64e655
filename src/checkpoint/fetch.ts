// Getting verified data out of untrusted mirrors: one loop tries the sources in turn until one
// delivers what checks out, naming the source in every refusal. State checkpoints (manifest,
// chunks with proofs) and stream checkpoints (stream.json, chunks) both fetch through it.
import type { Source } from '../net/source.js';
import { parseManifest, MANIFEST_FILE, MAX_MANIFEST_BYTES, type ChunkEntry, type Manifest } from '../format/manifest.js';
import { CheckpointError, LightsnapError, RootMismatch, SourceUnavailable } from '../errors.js';
import type { ProofFetcher } from './proofs.js';

export interface FetchedManifest {
  manifest: Manifest;
  bytes: Uint8Array;
  source: Source;
}

/** Failure of one source for one chunk; the caller reports it as progress. */
export type BadSourceListener = (err: LightsnapError, source: Source) => void;

/** Errors that condemn what one source delivered, not the whole operation: try another source. */
const CHUNK_FAULTS: ReadonlySet<string> = new Set(['ChunkNotFound', 'ChunkCorrupted', 'ChunkProofVerificationFailed', 'SourceUnavailable']);

export interface MirrorOptions {
  /** Index of the source to try first (to spread load); the others follow in order. */
  first?: number;
  /** The chunk the files belong to, named in every error. */
  chunk?: number;
  /** Which error codes condemn only the source (default: those of a chunk). */
  faults?: ReadonlySet<string> | 'any';
  onBad?: BadSourceListener;
  signal?: AbortSignal;
  /**
   * Milliseconds to wait on a source before asking the next one as well (default 3000): a
   * stalled mirror costs a few seconds once, not a full series of timeouts per file.
   */
  hedgeMs?: number;
}

export const DEFAULT_HEDGE_MS = 3000;

/**
 * How often each source was overtaken by the next one (it stalled). Sources that stalled are
 * asked last, so after the first stall a transfer stops waiting on that mirror; a success
 * clears its record. Kept per Source object, for as long as the caller holds it.
 */
const stalls = new WeakMap<Source, number>();

/** The sources in the order to try them: rotated to `first`, then those that stalled least first. */
function tryOrder(sources: readonly Source[], first: number): Source[] {
  const rotated = sources.map((_, i) => sources[(first + i) % sources.length]);
  return rotated.sort((a, b) => (stalls.get(a) ?? 0) - (stalls.get(b) ?? 0)); // stable: rotation kept among equals
}

type Settled<T> = { ok: true; value: T; source: Source } | { ok: false; error: unknown; source: Source };

/**
 * The one mirror loop. `attempt` fetches from one source (with a signal that is aborted once
 * another source wins) and must have no side effects; `accept`, when given, then acts on the
 * first result to arrive (verifies, stores) and runs for one result at a time. A source that
 * has not answered after `hedgeMs` is overtaken: the next source is asked in parallel and the
 * first good answer wins. A typed error whose code is a source fault is reported to `onBad`
 * (tagged with the chunk and the source) and the next source is tried; an abort, an untyped
 * error (a bug, not a source's fault) or any other code ends the loop at once. When every
 * source fails, throws the first failure (so a single-source caller sees the real cause).
 */
export async function fromAnySource<T>(sources: readonly Source[],
  attempt: (source: Source, signal: AbortSignal) => Promise<T>, opts: MirrorOptions = {},
  accept?: (value: T, source: Source) => Promise<void>): Promise<{ value: T; source: Source }> {
  if (sources.length === 0) throw new SourceUnavailable('no source given');
  const faults = opts.faults ?? CHUNK_FAULTS;
  const hedgeMs = opts.hedgeMs ?? DEFAULT_HEDGE_MS;
  const queue = tryOrder(sources, opts.first ?? 0);
  const running = new Map<Source, { settled: Promise<Settled<T>>; stop: AbortController }>();
  const launched: Source[] = [];
  let first: LightsnapError | undefined;

  const launch = () => {
    const source = queue.shift();
    if (!source) return;
    launched.push(source);
    const stop = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
    const settled = attempt(source, signal).then(
      (value): Settled<T> => ({ ok: true, value, source }),
      (error: unknown): Settled<T> => ({ ok: false, error, source }));
    running.set(source, { settled, stop });
  };
  /** A source's failure: reported and remembered if it is the source's fault, thrown otherwise. */
  const fault = (err: unknown, source: Source) => {
    if (opts.signal?.aborted || !(err instanceof LightsnapError) || (faults !== 'any' && !faults.has(err.code))) throw err;
    // Checkpoint errors learn their chunk and source here; others (changesets) name them already.
    const tagged = err instanceof CheckpointError ? err.at({ chunk: opts.chunk, source: source.name }) : err;
    opts.onBad?.(tagged, source);
    first ??= tagged;
  };

  launch();
  try {
    while (running.size > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const overtaken = queue.length === 0 ? undefined
        : new Promise<'overtake'>((resolve) => { timer = setTimeout(() => resolve('overtake'), hedgeMs); });
      const next = await Promise.race([...[...running.values()].map((r) => r.settled), ...(overtaken ? [overtaken] : [])]);
      clearTimeout(timer);
      if (next === 'overtake') {
        launch();
        continue;
      }
      running.delete(next.source);
      try {
        if (!next.ok) throw next.error;
        await accept?.(next.value, next.source);
        stalls.delete(next.source);
        // Sources asked before the winner and still silent were slower than it: ask them later next time.
        for (const slow of running.keys()) if (launched.indexOf(slow) < launched.indexOf(next.source)) stalls.set(slow, (stalls.get(slow) ?? 0) + 1);
        return { value: next.value, source: next.source };
      } catch (err) {
        fault(err, next.source);
        if (running.size === 0) launch();
      }
    }
  } finally {
    for (const loser of running.values()) loser.stop.abort(); // the answer is in: stop the others
  }
  throw first;
}

/**
 * The manifest from the first source whose manifest is valid and names `root` (any typed
 * error condemns only that source).
 */
export async function fetchManifest(sources: readonly Source[], root: string, signal?: AbortSignal,
  hedgeMs?: number): Promise<FetchedManifest> {
  const { value, source } = await fromAnySource(sources, async (source, signal) => {
    const bytes = await source.fetch(MANIFEST_FILE, { maxBytes: MAX_MANIFEST_BYTES, signal });
    const manifest = parseManifest(bytes);
    if (manifest.root !== root) throw new RootMismatch(`the manifest's root ${manifest.root} is not the trusted root ${root}`);
    return { manifest, bytes };
  }, { faults: 'any', signal, hedgeMs });
  return { ...value, source };
}

/** Takes a chunk and its proof: verifies them (and, when restoring, stores them) or throws. */
export type ChunkAcceptor = (chunk: Uint8Array, proof: Uint8Array, source: string) => Promise<void>;

/** Takes a chunk's file in a local directory (`Source.dir`) and its proof: reads and verifies them, or throws. */
export type ChunkFileAcceptor = (file: { dir: string; chunkPath: string }, proof: Uint8Array, source: string) => Promise<void>;

/**
 * Fetches chunk `index` and its proof and hands them to `accept`, trying the sources (starting
 * at `first`, to spread load) until one is accepted. With `localChunk` (the chunk's bytes,
 * already at hand) only the proof is fetched. With `acceptFile`, a source that is a local
 * directory is not read here: the chunk file's path goes to `acceptFile`, which reads it itself.
 */
export async function fetchAcceptedChunk(sources: readonly Source[], index: number, entry: ChunkEntry, proofs: ProofFetcher,
  accept: ChunkAcceptor, onBad: BadSourceListener,
  opts: { signal?: AbortSignal; first?: number; localChunk?: Uint8Array; hedgeMs?: number; acceptFile?: ChunkFileAcceptor } = {}): Promise<Source> {
  const chunkPath = `chunks/${entry.digest}`;
  const { acceptFile, localChunk } = opts;
  const readsItself = (source: Source) => acceptFile !== undefined && localChunk === undefined && typeof source.dir === 'string';
  const { source } = await fromAnySource(sources, (source, signal) => Promise.all([
    readsItself(source) ? undefined : localChunk ?? source.fetch(chunkPath, { maxBytes: entry.size, signal }),
    proofs.fetch(source, index, signal),
  ]), { first: opts.first, chunk: index, onBad, signal: opts.signal, hedgeMs: opts.hedgeMs },
  ([chunk, proof], source) => (chunk ? accept(chunk, proof, source.name) : acceptFile!({ dir: source.dir!, chunkPath }, proof, source.name)));
  return source;
}
