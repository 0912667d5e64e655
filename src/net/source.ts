import { assertArray, assertMethods } from '../assert.js';
import { CheckpointNotFound, ChunkNotFound, type CheckpointError } from '../errors.js';
import { MANIFEST_FILE } from '../format/manifest.js';
import { STREAM_MANIFEST } from '../format/stream-manifest.js';
// Where checkpoint files come from. A source fetches a file of a checkpoint by its relative
// path (`manifest.json`, `chunks/<digest>`, `proofs/<digest>`) with a size bound; everything it
// returns is still untrusted and is checked by the caller.

export interface FetchOptions {
  /** Refuse (and stop reading) a file larger than this. */
  maxBytes: number;
  signal?: AbortSignal;
}

export interface Source {
  /** A name for errors and progress: the URL or path of the checkpoint. */
  readonly name: string;
  /**
   * Set when the checkpoint is a directory on this machine (`dirSource`): a verifier that can
   * read files (a Node worker pool's `verifyChunkFile`) then reads the chunk file where it verifies
   * it, instead of this thread reading it and handing it over.
   */
  readonly dir?: string;
  /**
   * The file's bytes. Rejects with ChunkNotFound / CheckpointNotFound when it is absent,
   * SourceUnavailable when the source cannot deliver, ChunkCorrupted when it is over `maxBytes`.
   */
  fetch(path: string, opts: FetchOptions): Promise<Uint8Array>;
}

/** The files whose absence means there is no checkpoint at all. */
const MANIFESTS: ReadonlySet<string> = new Set([MANIFEST_FILE, STREAM_MANIFEST]);

/** The error for a file a source does not have: a manifest means no checkpoint, anything else a missing chunk. */
export function notFound(path: string, message: string, source: string): CheckpointError {
  // By the file name: a checkpoint under a prefix (a migration's genesis/) is still a checkpoint.
  const NotFound = MANIFESTS.has(path.slice(path.lastIndexOf('/') + 1)) ? CheckpointNotFound : ChunkNotFound;
  return new NotFound(message, { source });
}

/** Joins a checkpoint location and a relative file path. */
export function describePath(name: string, path: string): string {
  return name.endsWith('/') ? name + path : `${name}/${path}`;
}

/** InvalidArgument unless `value` is a list of Sources. */
export function assertSources(value: unknown, name: string): asserts value is Source[] {
  assertArray(value, name);
  value.forEach((s, i) => assertMethods(s, `${name}[${i}]`, 'a Source', ['fetch']));
}
