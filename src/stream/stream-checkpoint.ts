// Stream checkpoints (DESIGN.md): an opaque byte stream (a Cosmos SDK state-sync snapshot, a
// genesis dump, any file) cut into content-defined (FastCDC) or fixed-size chunks, stored by
// digest, committed to by the CometBFT simple Merkle root of the chunk digests. The root alone
// is trusted; each chunk proves its place with an inclusion proof (aunts).
import type { Store } from '../store/store.js';
import type { Source } from '../net/source.js';
import type { ProgressListener } from '../progress.js';
import { fastcdcStream, type ByteSource } from '../chunk/stream.js';
import { resolveFastCdcOptions } from '../chunk/options.js';
import { merkleProof, merkleRoot, verifyMerkleProof, type MerkleProof } from '../merkle/tree.js';
import { backend } from '../core/load.js';
import { fromHex, toHex } from '../hex.js';
import { InvalidArgument, ChunkCorrupted, ManifestInvalid, RootMismatch, SourceUnavailable } from '../errors.js';

export const STREAM_FORMAT = 'lightsnap/stream';
export const STREAM_MANIFEST = 'stream.json';
const MAX_STREAM_CHUNKS = 1 << 22;
const MAX_STREAM_CHUNK_BYTES = 64 << 20;
const MAX_STREAM_MANIFEST_BYTES = 512 << 20;

export type StreamChunker =
  | { kind: 'fastcdc'; minSize: number; avgSize: number; maxSize: number }
  | { kind: 'fixed'; size: number };

export interface StreamManifest {
  format: typeof STREAM_FORMAT;
  formatVersion: 1;
  /** Total bytes of the stream. */
  size: number;
  /** CometBFT simple Merkle root over the chunk digests (each digest is one 32-byte item). */
  root: string;
  chunker: StreamChunker;
  chunks: Array<{ digest: string; size: number }>;
}

/** Canonical bytes: fixed key order, no whitespace, a final newline. */
export function encodeStreamManifest(m: StreamManifest): Uint8Array {
  const chunker = m.chunker.kind === 'fixed'
    ? { kind: 'fixed', size: m.chunker.size }
    : { kind: 'fastcdc', minSize: m.chunker.minSize, avgSize: m.chunker.avgSize, maxSize: m.chunker.maxSize };
  return new TextEncoder().encode(JSON.stringify({
    format: m.format, formatVersion: m.formatVersion, size: m.size, root: m.root, chunker,
    chunks: m.chunks.map((c) => ({ digest: c.digest, size: c.size })),
  }) + '\n');
}

/** Parses stream.json, checking every field and bound, and that it is canonical. */
export function parseStreamManifest(bytes: Uint8Array): StreamManifest {
  const fail = (why: string, chunk?: number): never => { throw new ManifestInvalid(why, { chunk }); };
  if (bytes.length > MAX_STREAM_MANIFEST_BYTES) fail(`stream manifest is over ${MAX_STREAM_MANIFEST_BYTES} bytes`);
  let m: StreamManifest;
  try {
    m = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return fail(`stream manifest is not valid UTF-8 JSON: ${(err as Error).message}`);
  }
  if (typeof m !== 'object' || m === null || m.format !== STREAM_FORMAT) fail(`format must be ${JSON.stringify(STREAM_FORMAT)}`);
  if (m.formatVersion !== 1) fail(`formatVersion ${JSON.stringify(m.formatVersion)} is not supported (this lightsnap reads 1)`);
  if (typeof m.root !== 'string' || !/^[0-9a-f]{64}$/.test(m.root)) fail('root must be 64 lowercase hex digits');
  if (!Array.isArray(m.chunks) || m.chunks.length > MAX_STREAM_CHUNKS) fail(`chunks must be an array of at most ${MAX_STREAM_CHUNKS}`);
  let total = 0;
  m.chunks.forEach((c, i) => {
    if (typeof c !== 'object' || c === null || typeof c.digest !== 'string' || !/^[0-9a-f]{64}$/.test(c.digest)) fail('digest must be 64 lowercase hex digits', i);
    if (!Number.isSafeInteger(c.size) || c.size < 1 || c.size > MAX_STREAM_CHUNK_BYTES) fail(`size must be 1 to ${MAX_STREAM_CHUNK_BYTES}`, i);
    total += c.size;
  });
  if (m.size !== total) fail(`size is ${m.size} but the chunks hold ${total} bytes`);
  const canonical = encodeStreamManifest(m);
  if (canonical.length !== bytes.length || !canonical.every((b, i) => b === bytes[i])) fail('stream manifest is not in canonical form');
  return m;
}

async function* fixedChunks(source: ByteSource, size: number): AsyncGenerator<Uint8Array> {
  const iterable = (Symbol.asyncIterator in source || Symbol.iterator in source)
    ? source as AsyncIterable<Uint8Array>
    : { [Symbol.asyncIterator]: () => streamIterator(source as ReadableStream<Uint8Array>) };
  let buf = new Uint8Array(size);
  let fill = 0;
  for await (const piece of iterable) {
    let pos = 0;
    while (pos < piece.length) {
      const take = Math.min(size - fill, piece.length - pos);
      buf.set(piece.subarray(pos, pos + take), fill);
      fill += take;
      pos += take;
      if (fill === size) {
        yield buf;
        buf = new Uint8Array(size);
        fill = 0;
      }
    }
  }
  if (fill > 0) yield buf.subarray(0, fill);
}

function streamIterator(stream: ReadableStream<Uint8Array>): AsyncIterator<Uint8Array> {
  const reader = stream.getReader();
  return { next: () => reader.read() as Promise<IteratorResult<Uint8Array>> };
}

export interface CreateStreamOptions {
  store: Store;
  /** Default: FastCDC with average 1 MiB (min 256 KiB, max 4 MiB). */
  chunker?: StreamChunker;
  onProgress?: ProgressListener;
}

/** Cuts `source` into chunks, writes them and stream.json to the store; returns the manifest. */
export async function createStreamCheckpoint(source: ByteSource, opts: CreateStreamOptions): Promise<StreamManifest> {
  const chunker = opts.chunker ?? { kind: 'fastcdc', minSize: 1 << 18, avgSize: 1 << 20, maxSize: 1 << 22 };
  if (chunker.kind === 'fixed' && (!Number.isSafeInteger(chunker.size) || chunker.size < 1 || chunker.size > MAX_STREAM_CHUNK_BYTES)) {
    throw new InvalidArgument(`chunker.size must be 1 to ${MAX_STREAM_CHUNK_BYTES}, got ${chunker.size}`);
  }
  if (chunker.kind === 'fastcdc') resolveFastCdcOptions(chunker); // throws InvalidArgument naming the option
  const pieces = chunker.kind === 'fixed' ? fixedChunks(source, chunker.size) : mapBytes(fastcdcStream(source, chunker));
  const chunks: StreamManifest['chunks'] = [];
  let size = 0;
  for await (const bytes of pieces) {
    const digest = toHex(backend().sha256(bytes));
    await opts.store.put([[`chunks/${digest}`, bytes]]);
    chunks.push({ digest, size: bytes.length });
    size += bytes.length;
    opts.onProgress?.({ phase: 'create', chunksDone: chunks.length, chunksTotal: chunks.length, bytesDone: size, bytesTotal: size });
  }
  const manifest: StreamManifest = {
    format: STREAM_FORMAT, formatVersion: 1, size, chunker, chunks,
    root: toHex(merkleRoot(chunks.map((c) => fromHex(c.digest)))),
  };
  await opts.store.flush?.();
  await opts.store.put([[STREAM_MANIFEST, encodeStreamManifest(manifest)]]);
  await opts.store.flush?.();
  return manifest;
}

async function* mapBytes(chunks: AsyncIterable<{ bytes: Uint8Array }>): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) yield c.bytes.slice();
}

/** The inclusion proof of chunk `index` under the manifest's root. */
export function streamChunkProof(m: StreamManifest, index: number): MerkleProof {
  return merkleProof(m.chunks.map((c) => fromHex(c.digest)), index);
}

/** Checks one chunk on its own: its digest is the item `proof` includes under `root`. */
export function verifyStreamChunk(root: Uint8Array, chunk: Uint8Array, proof: MerkleProof): boolean {
  return verifyMerkleProof(proof, root, backend().sha256(chunk));
}

/**
 * Fetches and checks a stream checkpoint against the trusted root, yielding the stream's bytes
 * chunk by chunk, in order (write them to restore). Each chunk is tried on every source in turn.
 */
export async function* readStreamCheckpoint(sources: readonly Source[], root: string,
  onProgress?: ProgressListener): AsyncGenerator<Uint8Array> {
  if (sources.length === 0) throw new SourceUnavailable('no source given');
  const bytes = await sources[0].fetch(STREAM_MANIFEST, { maxBytes: MAX_STREAM_MANIFEST_BYTES });
  const m = parseStreamManifest(bytes);
  const computed = toHex(merkleRoot(m.chunks.map((c) => fromHex(c.digest))));
  if (computed !== root) throw new RootMismatch(`the chunk digests have Merkle root ${computed}, not the trusted ${root}`, { source: sources[0].name });
  let done = 0;
  for (const [index, entry] of m.chunks.entries()) {
    let last: unknown;
    let chunk: Uint8Array | undefined;
    for (const source of sources) {
      try {
        const got = await source.fetch(`chunks/${entry.digest}`, { maxBytes: entry.size });
        if (got.length !== entry.size || toHex(backend().sha256(got)) !== entry.digest) {
          throw new ChunkCorrupted('chunk does not match its digest', { chunk: index, source: source.name });
        }
        chunk = got;
        break;
      } catch (err) {
        last = err;
        onProgress?.({ phase: 'verify', chunksDone: index, chunksTotal: m.chunks.length, bytesDone: done, bytesTotal: m.size, chunk: index, state: 'bad', source: source.name,
          error: { code: (err as { code?: string }).code ?? 'Error', message: String((err as Error).message ?? err) } });
      }
    }
    if (!chunk) throw last;
    done += chunk.length;
    onProgress?.({ phase: 'verify', chunksDone: index + 1, chunksTotal: m.chunks.length, bytesDone: done, bytesTotal: m.size, chunk: index, state: 'verified' });
    yield chunk;
  }
}
