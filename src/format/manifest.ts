// manifest.json of a state checkpoint (docs/FORMAT.md, "Manifest"). The manifest is untrusted:
// parseManifest checks every field, bound and the tiling of the key space, and refuses bytes
// that are not in canonical form, so the checkpoint id (SHA-256 of the bytes) is well defined.
import { array, fail, hex64, int, object, parseCanonicalJson, preview } from './json-fields.js';
import { fromHex, toHex } from '../hex.js';
import { MAX_RANGE_PROOF_BYTES } from '../tree/range/encoding.js';
import { MAX_KEY_HASH, MIN_KEY_HASH, nextKeyHash } from '../tree/range/key-space.js';
import { assertArray, assertBytes, assertObject } from '../assert.js';
import { UnsupportedFormatVersion } from '../errors.js';
import { packCount, PROOFS_PER_PACK } from './proof-pack.js';

/** The file that holds a state checkpoint's manifest. */
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'lightsnap/checkpoint';
/** The format version this lightsnap writes unless asked for another. */
export const MANIFEST_FORMAT_VERSION = 2;
/** The format versions this lightsnap can write (an upgrade plan may pin one). */
export const WRITABLE_FORMAT_VERSIONS: readonly number[] = [1, 2];
/** Largest manifest.json accepted (bounds what a client reads before any check). */
export const MAX_MANIFEST_BYTES = 64 << 20;
/** Most chunks one checkpoint may have (2^18 × 1 MiB chunks = 256 GiB of leaves). */
export const MAX_CHUNKS = 1 << 18;
/** Largest chunk file any checkpoint may declare. */
export const HARD_MAX_CHUNK_BYTES = 64 << 20;

export interface ChunkingParams {
  /** A chunk ends before a leaf that would take it past this size (unless it is the chunk's only leaf). */
  maxChunkBytes: number;
  /** No content-defined boundary falls before a chunk reaches this size. */
  minChunkBytes: number;
  /**
   * Past minChunkBytes, a chunk ends after a leaf of b bytes (key + value + 8) with probability
   * b / avgChunkBytes, decided by the leaf's key hash: so chunks run ~avgChunkBytes past the
   * minimum, whatever the leaf sizes.
   */
  avgChunkBytes: number;
}

export interface ChunkEntry {
  /** SHA-256 of the chunk file, lowercase hex: the file is `chunks/<digest>`. */
  digest: string;
  size: number;
  leaves: number;
  /** First and last key hash of the chunk's interval, 64 lowercase hex digits each. */
  lo: string;
  hi: string;
  /** SHA-256 of the chunk's range proof (version 1: also its file, `proofs/<proof>`). */
  proof: string;
  proofSize: number;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  formatVersion: 1 | 2;
  /** State version (block height) the checkpoint was taken at. */
  version: number;
  /** The JMT root the chunks prove against, 64 lowercase hex digits. */
  root: string;
  /** Total leaves over all chunks. */
  leaves: number;
  chunking: ChunkingParams;
  chunks: ChunkEntry[];
  /**
   * Version 2: SHA-256 of each proof pack, `proofs/<digest>` — pack k is the proofs of chunks
   * [256k, 256k + 256) concatenated in chunk order (./proof-pack.ts). Absent in version 1.
   */
  proofPacks?: string[];
}

const ZERO = toHex(MIN_KEY_HASH);
const MAX = toHex(MAX_KEY_HASH);

/** The canonical bytes of a manifest: fixed key order, no whitespace, a final newline. */
export function encodeManifest(m: Manifest): Uint8Array {
  assertObject(m, 'manifest');
  assertObject(m.chunking, 'manifest.chunking');
  assertArray(m.chunks, 'manifest.chunks');
  m.chunks.forEach((c, i) => assertObject(c, `manifest.chunks[${i}]`));
  if (m.formatVersion === 2) assertArray(m.proofPacks, 'manifest.proofPacks');
  const canonical = {
    format: m.format,
    formatVersion: m.formatVersion,
    version: m.version,
    root: m.root,
    leaves: m.leaves,
    chunking: { maxChunkBytes: m.chunking.maxChunkBytes, minChunkBytes: m.chunking.minChunkBytes, avgChunkBytes: m.chunking.avgChunkBytes },
    ...(m.formatVersion === 2 ? { proofPacks: m.proofPacks } : {}),
    chunks: m.chunks.map((c) => ({
      digest: c.digest, size: c.size, leaves: c.leaves, lo: c.lo, hi: c.hi, proof: c.proof, proofSize: c.proofSize,
    })),
  };
  return new TextEncoder().encode(JSON.stringify(canonical) + '\n');
}

/** `version` as a format version this lightsnap writes; UnsupportedFormatVersion otherwise. */
export function writableFormatVersion(version: unknown): Manifest['formatVersion'] {
  if (!WRITABLE_FORMAT_VERSIONS.includes(version as number)) {
    throw new UnsupportedFormatVersion(`cannot write manifest formatVersion ${preview(version)} (this lightsnap writes ${WRITABLE_FORMAT_VERSIONS.join(', ')})`);
  }
  return version as Manifest['formatVersion'];
}

/**
 * The reading rules of each manifest format version this lightsnap knows, by version: a reader
 * of a newer format is added here, and verify, restore and queries pick it by the manifest's
 * own formatVersion.
 */
const READERS: Readonly<Record<number, (m: Record<string, unknown>) => Manifest>> = { 1: readVersion1, 2: readVersion2 };
export const READABLE_FORMAT_VERSIONS: readonly number[] = Object.keys(READERS).map(Number);

/**
 * Checks a manifest's structure, bounds and key-space tiling; throws ManifestInvalid, or
 * UnsupportedFormatVersion (naming it) for a format version this lightsnap has no rules for.
 */
export function validateManifest(value: unknown): Manifest {
  const m = object(value, 'the manifest');
  if (m.format !== MANIFEST_FORMAT) fail(`format must be ${JSON.stringify(MANIFEST_FORMAT)}`);
  const v = m.formatVersion;
  if (typeof v !== 'number' || !Object.hasOwn(READERS, v)) {
    throw new UnsupportedFormatVersion(`manifest formatVersion ${preview(v)} is not supported (this lightsnap reads ${READABLE_FORMAT_VERSIONS.join(', ')})`);
  }
  return READERS[v](m);
}

/** Format version 2: version 1's fields and `proofPacks`, one digest per 256 chunks. */
function readVersion2(m: Record<string, unknown>): Manifest {
  const v1 = readVersion1(m);
  const packs = array(m.proofPacks, 'proofPacks', 1, packCount(MAX_CHUNKS));
  const expected = packCount(v1.chunks.length);
  if (packs.length !== expected) fail(`proofPacks has ${packs.length} entries; ${v1.chunks.length} chunks have ${expected} (one per ${PROOFS_PER_PACK})`);
  return { ...v1, formatVersion: 2, proofPacks: packs.map((d, i) => hex64(d, `proofPacks[${i}]`)) };
}

/** Format version 1 (docs/FORMAT.md, "Manifest"). */
function readVersion1(m: Record<string, unknown>): Manifest {
  const version = int(m.version, 'version', 0, Number.MAX_SAFE_INTEGER);
  const root = hex64(m.root, 'root');
  const leaves = int(m.leaves, 'leaves', 0, Number.MAX_SAFE_INTEGER);
  const c = object(m.chunking, 'chunking');
  const chunking: ChunkingParams = {
    maxChunkBytes: int(c.maxChunkBytes, 'chunking.maxChunkBytes', 1024, HARD_MAX_CHUNK_BYTES),
    minChunkBytes: int(c.minChunkBytes, 'chunking.minChunkBytes', 0, HARD_MAX_CHUNK_BYTES),
    avgChunkBytes: int(c.avgChunkBytes, 'chunking.avgChunkBytes', 64, HARD_MAX_CHUNK_BYTES),
  };
  if (chunking.minChunkBytes > chunking.maxChunkBytes) fail('chunking.minChunkBytes is above chunking.maxChunkBytes');
  let expectLo = ZERO;
  let leafSum = 0;
  const chunks = array(m.chunks, 'chunks', 1, MAX_CHUNKS).map((raw, i): ChunkEntry => {
    const e = object(raw, `chunks[${i}]`, i);
    const entry: ChunkEntry = {
      digest: hex64(e.digest, 'digest', i),
      size: int(e.size, 'size', 8, HARD_MAX_CHUNK_BYTES, i),
      leaves: int(e.leaves, 'leaves', 0, HARD_MAX_CHUNK_BYTES, i),
      lo: hex64(e.lo, 'lo', i),
      hi: hex64(e.hi, 'hi', i),
      proof: hex64(e.proof, 'proof', i),
      // Exactly what the range-proof verifier accepts, so an oversized proof is refused as a
      // manifest defect, not by the verifier's argument check.
      proofSize: int(e.proofSize, 'proofSize', 1, MAX_RANGE_PROOF_BYTES, i),
    };
    if (entry.size > chunking.maxChunkBytes && entry.leaves > 1) {
      fail(`size ${entry.size} is over chunking.maxChunkBytes with more than one leaf`, i);
    }
    if (entry.leaves * 9 > entry.size - 8) fail(`${entry.leaves} leaves cannot fit in ${entry.size} bytes`, i);
    if (entry.lo !== expectLo) {
      fail(entry.lo < expectLo ? `lo overlaps the previous chunk's interval` : `lo leaves a gap after the previous chunk's interval`, i);
    }
    if (entry.hi < entry.lo) fail('hi is below lo', i);
    expectLo = entry.hi === MAX ? '' : toHex(nextKeyHash(fromHex(entry.hi)));
    leafSum += entry.leaves;
    return entry;
  });
  if (expectLo !== '') fail('the last chunk does not reach the end of the key space (hi must be ff…ff)', chunks.length - 1);
  chunks.forEach((e, i) => {
    if (i < chunks.length - 1 && e.hi === MAX) fail('a chunk before the last ends the key space', i);
  });
  if (leafSum !== leaves) fail(`leaves is ${leaves} but the chunks hold ${leafSum}`);
  return { format: MANIFEST_FORMAT, formatVersion: 1, version, root, leaves, chunking, chunks };
}

/** Parses and validates manifest.json bytes; they must be exactly the canonical encoding. */
export function parseManifest(bytes: Uint8Array): Manifest {
  assertBytes(bytes, 'bytes');
  return parseCanonicalJson(bytes, 'manifest', MAX_MANIFEST_BYTES, validateManifest, encodeManifest);
}
