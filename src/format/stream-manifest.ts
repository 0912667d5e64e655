// stream.json of a stream checkpoint (docs/FORMAT.md, "Stream checkpoints"): the chunker, and
// each chunk's digest and size in stream order. Untrusted: parseStreamManifest checks every
// field, bound and the chunk sizes against the chunker, and refuses non-canonical bytes. That
// `root` is the Merkle root of the digests is checked by the reader, which has the trusted root.
import { FASTCDC_LIMITS } from '../chunk/options.js';
import { MAX_FIXED_CHUNK_BYTES } from '../chunk/fixed.js';
import { array, fail, hex64, int, object, parseCanonicalJson, preview } from './json-fields.js';
import { assertArray, assertBytes, assertObject } from '../assert.js';

export const STREAM_FORMAT = 'lightsnap/stream';
/** The file that holds a stream checkpoint's manifest. */
export const STREAM_MANIFEST = 'stream.json';
export const MAX_STREAM_CHUNKS = 1 << 22;
export const MAX_STREAM_MANIFEST_BYTES = 512 << 20;

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
  assertObject(m, 'manifest');
  assertObject(m.chunker, 'manifest.chunker');
  assertArray(m.chunks, 'manifest.chunks');
  m.chunks.forEach((c, i) => assertObject(c, `manifest.chunks[${i}]`));
  const chunker = m.chunker.kind === 'fixed'
    ? { kind: 'fixed', size: m.chunker.size }
    : { kind: 'fastcdc', minSize: m.chunker.minSize, avgSize: m.chunker.avgSize, maxSize: m.chunker.maxSize };
  return new TextEncoder().encode(JSON.stringify({
    format: m.format, formatVersion: m.formatVersion, size: m.size, root: m.root, chunker,
    chunks: m.chunks.map((c) => ({ digest: c.digest, size: c.size })),
  }) + '\n');
}

function validateChunker(value: unknown): StreamChunker {
  const c = object(value, 'chunker');
  if (c.kind === 'fixed') return { kind: 'fixed', size: int(c.size, 'chunker.size', 1, MAX_FIXED_CHUNK_BYTES) };
  if (c.kind !== 'fastcdc') fail(`chunker.kind must be "fixed" or "fastcdc", got ${preview(c.kind)}`);
  const minSize = int(c.minSize, 'chunker.minSize', ...FASTCDC_LIMITS.minSize);
  const avgSize = int(c.avgSize, 'chunker.avgSize', ...FASTCDC_LIMITS.avgSize);
  const maxSize = int(c.maxSize, 'chunker.maxSize', ...FASTCDC_LIMITS.maxSize);
  if (minSize > avgSize || avgSize > maxSize) fail('chunker sizes must satisfy minSize ≤ avgSize ≤ maxSize');
  return { kind: 'fastcdc', minSize, avgSize, maxSize };
}

/** Smallest and largest size the chunker gives a chunk other than the last (which may be shorter). */
function sizeBounds(chunker: StreamChunker): [number, number] {
  return chunker.kind === 'fixed' ? [chunker.size, chunker.size] : [chunker.minSize, chunker.maxSize];
}

/** Checks a stream manifest's structure and bounds; throws ManifestInvalid. */
export function validateStreamManifest(value: unknown): StreamManifest {
  const m = object(value, 'the stream manifest');
  if (m.format !== STREAM_FORMAT) fail(`format must be ${JSON.stringify(STREAM_FORMAT)}`);
  if (m.formatVersion !== 1) fail(`formatVersion ${preview(m.formatVersion)} is not supported (this lightsnap reads 1)`);
  const size = int(m.size, 'size', 0, Number.MAX_SAFE_INTEGER);
  const root = hex64(m.root, 'root');
  const chunker = validateChunker(m.chunker);
  const [min, max] = sizeBounds(chunker);
  const raw = array(m.chunks, 'chunks', 0, MAX_STREAM_CHUNKS);
  let total = 0;
  const chunks = raw.map((rawEntry, i) => {
    const e = object(rawEntry, `chunks[${i}]`, i);
    const last = i === raw.length - 1;
    const entry = { digest: hex64(e.digest, 'digest', i), size: int(e.size, 'size', last ? 1 : min, max, i) };
    total += entry.size;
    return entry;
  });
  if (size !== total) fail(`size is ${size} but the chunks hold ${total} bytes`);
  return { format: STREAM_FORMAT, formatVersion: 1, size, root, chunker, chunks };
}

/** Parses and validates stream.json bytes; they must be exactly the canonical encoding. */
export function parseStreamManifest(bytes: Uint8Array): StreamManifest {
  assertBytes(bytes, 'bytes');
  return parseCanonicalJson(bytes, 'stream manifest', MAX_STREAM_MANIFEST_BYTES, validateStreamManifest, encodeStreamManifest);
}
