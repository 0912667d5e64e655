// Getting verified data out of untrusted mirrors: one loop tries the sources in turn until one
// delivers what checks out, naming the source in every refusal. State checkpoints (manifest,
// chunks with proofs) and stream checkpoints (stream.json, chunks) both fetch through it.
import type { Source } from '../net/source.js';
import { parseManifest, MANIFEST_FILE, MAX_MANIFEST_BYTES, type ChunkEntry, type Manifest } from '../format/manifest.js';
import { CheckpointError, RootMismatch, SourceUnavailable } from '../errors.js';

export interface FetchedManifest {
  manifest: Manifest;
  bytes: Uint8Array;
  source: Source;
}

/** Failure of one source for one chunk; the caller reports it as progress. */
export type BadSourceListener = (err: CheckpointError, source: Source) => void;

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
}

/**
 * The one mirror loop: runs `attempt` on each source in turn until one succeeds. A typed error
 * whose code is a source fault is reported to `onBad` (tagged with the chunk and the source) and
 * the next source is tried; an abort, an untyped error (a bug, not a source's fault) or any other
 * code ends the loop at once. When every source fails, throws the first failure (so a
 * single-source caller sees the real cause).
 */
export async function fromAnySource<T>(sources: readonly Source[], attempt: (source: Source) => Promise<T>,
  opts: MirrorOptions = {}): Promise<{ value: T; source: Source }> {
  if (sources.length === 0) throw new SourceUnavailable('no source given');
  const faults = opts.faults ?? CHUNK_FAULTS;
  let first: CheckpointError | undefined;
  for (let i = 0; i < sources.length; i++) {
    const source = sources[((opts.first ?? 0) + i) % sources.length];
    try {
      return { value: await attempt(source), source };
    } catch (err) {
      if (opts.signal?.aborted || !(err instanceof CheckpointError) || (faults !== 'any' && !faults.has(err.code))) throw err;
      const tagged = err.at({ chunk: opts.chunk, source: source.name });
      opts.onBad?.(tagged, source);
      first ??= tagged;
    }
  }
  throw first;
}

/**
 * The manifest from the first source whose manifest is valid and names `root` (any typed
 * error condemns only that source).
 */
export async function fetchManifest(sources: readonly Source[], root: string, signal?: AbortSignal): Promise<FetchedManifest> {
  const { value, source } = await fromAnySource(sources, async (source) => {
    const bytes = await source.fetch(MANIFEST_FILE, { maxBytes: MAX_MANIFEST_BYTES, signal });
    const manifest = parseManifest(bytes);
    if (manifest.root !== root) throw new RootMismatch(`the manifest's root ${manifest.root} is not the trusted root ${root}`);
    return { manifest, bytes };
  }, { faults: 'any', signal });
  return { ...value, source };
}

/** Takes a chunk and its proof: verifies them (and, when restoring, stores them) or throws. */
export type ChunkAcceptor = (chunk: Uint8Array, proof: Uint8Array, source: string) => Promise<void>;

/**
 * Fetches chunk `index` and its proof and hands them to `accept`, trying each source in turn
 * (starting at `first`, to spread load) until one is accepted. With `localChunk` (the chunk's
 * bytes, already at hand) only the proof is fetched.
 */
export async function fetchAcceptedChunk(sources: readonly Source[], index: number, entry: ChunkEntry,
  accept: ChunkAcceptor, onBad: BadSourceListener, signal?: AbortSignal, first = 0, localChunk?: Uint8Array): Promise<Source> {
  const { source } = await fromAnySource(sources, async (source) => {
    const [chunk, proof] = await Promise.all([
      localChunk ?? source.fetch(`chunks/${entry.digest}`, { maxBytes: entry.size, signal }),
      source.fetch(`proofs/${entry.proof}`, { maxBytes: entry.proofSize, signal }),
    ]);
    await accept(chunk, proof, source.name);
  }, { first, chunk: index, onBad, signal });
  return source;
}
