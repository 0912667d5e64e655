// Stream checkpoints (DESIGN.md): an opaque byte stream (a Cosmos SDK state-sync snapshot, a
// genesis dump, any file) cut into content-defined (FastCDC) or fixed-size chunks, stored by
// digest, committed to by the CometBFT simple Merkle root of the chunk digests. The root alone
// is trusted; each chunk proves its place with an inclusion proof (aunts). The manifest format
// lives in format/stream-manifest.ts, the chunkers in chunk/, the mirror loop in checkpoint/fetch.ts.
import type { Store } from '../store/store.js';
import type { Source } from '../net/source.js';
import type { ProgressListener } from '../progress.js';
import { fastcdcTransient, type ByteSource } from '../chunk/stream.js';
import { fixedChunks } from '../chunk/fixed.js';
import { merkleProof, merkleRoot, verifyMerkleProof, type MerkleProof } from '../merkle/tree.js';
import { backend } from '../core/load.js';
import { fromHex, toHex } from '../hex.js';
import { sha256Whole } from '../hash/sha256.js';
import {
  STREAM_FORMAT, STREAM_MANIFEST, MAX_STREAM_MANIFEST_BYTES, encodeStreamManifest, parseStreamManifest,
  type StreamChunker, type StreamManifest,
} from '../format/stream-manifest.js';
import { fromAnySource } from '../checkpoint/fetch.js';
import { ChunkCorrupted, InvalidArgument, ManifestInvalid, RootMismatch } from '../errors.js';
import { assertArray, assertBytes, assertInteger, assertIterable, assertObject, assertString } from '../assert.js';
import { assertStore } from '../store/store.js';
import { assertSources } from '../net/source.js';

export interface CreateStreamOptions {
  store: Store;
  /** Default: FastCDC with average 1 MiB (min 256 KiB, max 4 MiB). */
  chunker?: StreamChunker;
  onProgress?: ProgressListener;
}

const DEFAULT_CHUNKER: StreamChunker = { kind: 'fastcdc', minSize: 1 << 18, avgSize: 1 << 20, maxSize: 1 << 22 };

/** The chunks of `source` as `chunker` cuts them (FastCDC's are views, valid until the next is asked for). */
function cut(source: ByteSource, chunker: StreamChunker): AsyncIterable<Uint8Array> {
  if (chunker.kind === 'fixed') return fixedChunks(source, chunker.size);
  if (chunker?.kind !== 'fastcdc') throw new InvalidArgument(`chunker.kind must be 'fixed' or 'fastcdc', got ${String((chunker as { kind?: unknown })?.kind)}`);
  const { minSize, avgSize, maxSize } = chunker;
  return bytesOf(fastcdcTransient(source, { minSize, avgSize, maxSize }));
}

async function* bytesOf(chunks: AsyncIterable<{ bytes: Uint8Array }>): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) yield c.bytes;
}

const digestsOf = (chunks: StreamManifest['chunks']) => chunks.map((c) => fromHex(c.digest));

/** Cuts `source` into chunks, writes them and stream.json to the store; returns the manifest. */
export async function createStreamCheckpoint(source: ByteSource, opts: CreateStreamOptions): Promise<StreamManifest> {
  assertIterable(source, 'source', false);
  assertObject(opts, 'opts');
  assertStore(opts.store, 'opts.store');
  const chunker = opts.chunker ?? DEFAULT_CHUNKER;
  const chunks: StreamManifest['chunks'] = [];
  let size = 0;
  // One chunk at a time, so a chunk that is a view into the source's buffer is hashed and stored
  // before the next piece is asked for (and the buffer possibly reused): no copy of the stream.
  for await (const bytes of cut(source, chunker)) {
    const digest = toHex(await sha256Whole(bytes));
    await opts.store.put([[`chunks/${digest}`, bytes]]);
    chunks.push({ digest, size: bytes.length });
    size += bytes.length;
    opts.onProgress?.({ phase: 'create', chunksDone: chunks.length, bytesDone: size });
  }
  const root = toHex(merkleRoot(digestsOf(chunks)));
  const manifest: StreamManifest = { format: STREAM_FORMAT, formatVersion: 1, size, root, chunker, chunks };
  await opts.store.flush?.();
  await opts.store.put([[STREAM_MANIFEST, encodeStreamManifest(manifest)]]);
  await opts.store.flush?.();
  return manifest;
}

/** The inclusion proof of chunk `index` under the manifest's root. */
export function streamChunkProof(m: StreamManifest, index: number): MerkleProof {
  assertObject(m, 'manifest');
  assertArray(m.chunks, 'manifest.chunks');
  assertInteger(index, 'index', 0, m.chunks.length - 1);
  return merkleProof(digestsOf(m.chunks), index);
}

/** Checks one chunk on its own: its digest is the item `proof` includes under `root`. */
export function verifyStreamChunk(root: Uint8Array, chunk: Uint8Array, proof: MerkleProof): boolean {
  assertBytes(chunk, 'chunk');
  return verifyMerkleProof(proof, root, backend().sha256(chunk));
}

export interface ReadStreamOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** stream.json from the first source whose manifest is valid, self-consistent and has the trusted root. */
async function fetchStreamManifest(sources: readonly Source[], root: string, signal?: AbortSignal): Promise<StreamManifest> {
  const { value } = await fromAnySource(sources, async (source, signal) => {
    const m = parseStreamManifest(await source.fetch(STREAM_MANIFEST, { maxBytes: MAX_STREAM_MANIFEST_BYTES, signal }));
    const computed = toHex(merkleRoot(digestsOf(m.chunks)));
    if (computed !== m.root) throw new ManifestInvalid(`root ${m.root} is not the Merkle root of the chunk digests, ${computed}`);
    if (m.root !== root) throw new RootMismatch(`the chunk digests have Merkle root ${m.root}, not the trusted ${root}`);
    return m;
  }, { faults: 'any', signal });
  return value;
}

/**
 * Fetches and checks a stream checkpoint against the trusted root, yielding the stream's bytes
 * chunk by chunk, in order (write them to restore). The manifest comes from any source that has
 * a valid one; each chunk is tried on every source in turn.
 */
export async function* readStreamCheckpoint(sources: readonly Source[], root: string,
  opts: ReadStreamOptions = {}): AsyncGenerator<Uint8Array> {
  assertSources(sources, 'sources');
  assertString(root, 'root');
  const { onProgress, signal } = opts;
  const m = await fetchStreamManifest(sources, root, signal);
  let bytesDone = 0;
  const progress = { phase: 'verify', chunksTotal: m.chunks.length, bytesTotal: m.size } as const;
  for (const [index, entry] of m.chunks.entries()) {
    signal?.throwIfAborted();
    const { value: chunk } = await fromAnySource(sources, async (source, signal) => {
      const got = await source.fetch(`chunks/${entry.digest}`, { maxBytes: entry.size, signal });
      if (got.length !== entry.size || toHex(await sha256Whole(got)) !== entry.digest) {
        throw new ChunkCorrupted('chunk does not match its digest');
      }
      return got;
    }, {
      chunk: index, signal,
      onBad: (err, source) => onProgress?.({ ...progress, chunksDone: index, bytesDone, chunk: index, state: 'bad',
        source: source.name, error: { code: err.code, message: err.message } }),
    });
    bytesDone += chunk.length;
    onProgress?.({ ...progress, chunksDone: index + 1, bytesDone, chunk: index, state: 'verified' });
    yield chunk;
  }
}
