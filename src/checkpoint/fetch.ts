// Getting verified data out of untrusted sources: the manifest from the first source that
// has one for the trusted root, and each chunk from the sources in turn until one delivers
// bytes that verify. Every refusal is reported, naming the source.
import type { Source } from '../net/source.js';
import { parseManifest, MAX_MANIFEST_BYTES, type ChunkEntry, type Manifest } from '../format/manifest.js';
import { CheckpointError, RootMismatch, SourceUnavailable } from '../errors.js';

export interface FetchedManifest {
  manifest: Manifest;
  bytes: Uint8Array;
  source: Source;
}

/** Failure of one source for one chunk; the caller reports it as progress. */
export type BadSourceListener = (err: CheckpointError, source: Source) => void;

/**
 * The manifest from the first source whose manifest is valid and names `root`. Throws the
 * first source's error when none qualifies (so a single-source caller sees the real cause).
 */
export async function fetchManifest(sources: readonly Source[], root: string, path = 'manifest.json',
  signal?: AbortSignal): Promise<FetchedManifest> {
  if (sources.length === 0) throw new SourceUnavailable('no source given');
  const errors: unknown[] = [];
  for (const source of sources) {
    try {
      const bytes = await source.fetch(path, { maxBytes: MAX_MANIFEST_BYTES, signal });
      let manifest: Manifest;
      try {
        manifest = parseManifest(bytes);
      } catch (err) {
        throw err instanceof CheckpointError ? err.at({ source: source.name }) : err;
      }
      if (manifest.root !== root) {
        throw new RootMismatch(`the manifest's root ${manifest.root} is not the trusted root ${root}`, { source: source.name });
      }
      return { manifest, bytes, source };
    } catch (err) {
      if (signal?.aborted) throw err;
      errors.push(err);
    }
  }
  throw errors[0];
}

/** Errors that condemn what one source delivered, not the whole operation: try another source. */
const SOURCE_FAULTS = new Set(['ChunkNotFound', 'ChunkCorrupted', 'ChunkProofVerificationFailed', 'SourceUnavailable']);

/** Takes a chunk and its proof: verifies them (and, when restoring, stores them) or throws. */
export type ChunkAcceptor = (chunk: Uint8Array, proof: Uint8Array, source: string) => Promise<void>;

/**
 * Fetches chunk `index` and its proof and hands them to `accept`, trying each source in turn
 * (starting at `first`, to spread load) until one is accepted. Throws the last source's error
 * if none is. With `localChunk` (the chunk's bytes, already at hand) only the proof is fetched.
 */
export async function fetchAcceptedChunk(sources: readonly Source[], index: number, entry: ChunkEntry,
  accept: ChunkAcceptor, onBad: BadSourceListener, signal?: AbortSignal, first = 0, localChunk?: Uint8Array): Promise<Source> {
  let last: unknown;
  for (let i = 0; i < sources.length; i++) {
    const source = sources[(first + i) % sources.length];
    try {
      const [chunk, proof] = await Promise.all([
        localChunk ?? source.fetch(`chunks/${entry.digest}`, { maxBytes: entry.size, signal }),
        source.fetch(`proofs/${entry.proof}`, { maxBytes: entry.proofSize, signal }),
      ]);
      await accept(chunk, proof, source.name);
      return source;
    } catch (err) {
      if (signal?.aborted || !(err instanceof CheckpointError) || !SOURCE_FAULTS.has(err.code)) throw err;
      const tagged = err.at({ chunk: index, source: source.name });
      onBad(tagged, source);
      last = tagged;
    }
  }
  throw last;
}
