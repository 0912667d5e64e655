// The changeset between two checkpoints, reading only the chunk files whose digests differ:
// a chunk file both checkpoints hold has the same leaves in both (its name is its SHA-256), so
// every key that changed lies in a chunk only one of them has. Each chunk read is verified
// against its own checkpoint's root before its leaves are used.
import type { Source } from '../net/source.js';
import { assertMethods } from '../assert.js';
import type { Pair } from '../tree/pairs.js';
import { compareBytes, equalBytes } from '../bytes.js';
import { decodeChunk } from '../format/chunk.js';
import { parseManifest, MANIFEST_FILE, MAX_MANIFEST_BYTES, type Manifest } from '../format/manifest.js';
import { verifyChunk } from '../checkpoint/verify.js';
import { hashChunkLeaves } from '../checkpoint/leaf-hashes.js';
import { ProofFetcher } from '../checkpoint/proofs.js';

export interface CheckpointDiff {
  /** The old checkpoint's version and root, and the new one's. */
  from: Manifest;
  to: Manifest;
  /** Puts and deletes taking the old state to the new, in key-hash order. */
  changes: Pair[];
  /** Chunk files read from each side. */
  chunksRead: { from: number; to: number };
}

interface DiffLeaf {
  keyHash: Uint8Array;
  valueHash: Uint8Array;
  key: Uint8Array;
  value: Uint8Array;
}

async function manifestOf(source: Source): Promise<Manifest> {
  return parseManifest(await source.fetch(MANIFEST_FILE, { maxBytes: MAX_MANIFEST_BYTES }));
}

/** The verified leaves of the chunks of `m` whose digests `other` does not hold, in key-hash order. */
async function uniqueLeaves(source: Source, m: Manifest, other: Set<string>): Promise<{ leaves: DiffLeaf[]; read: number }> {
  const leaves: DiffLeaf[] = [];
  let read = 0;
  const proofs = new ProofFetcher(m);
  for (const [index, entry] of m.chunks.entries()) {
    if (other.has(entry.digest)) continue;
    const [chunk, proof] = await Promise.all([
      source.fetch(`chunks/${entry.digest}`, { maxBytes: entry.size }),
      proofs.fetch(source, index),
    ]);
    verifyChunk({ root: m.root, index, entry, chunk, proof, source: source.name });
    const kv = decodeChunk(chunk);
    hashChunkLeaves(kv).forEach((h, i) => leaves.push({ ...h, ...kv[i] }));
    read++;
  }
  return { leaves, read };
}

/**
 * The changes from checkpoint `a` to checkpoint `b`. Memory: the leaves of the chunks that
 * differ, not the states.
 */
export async function diffCheckpoints(a: Source, b: Source): Promise<CheckpointDiff> {
  assertMethods(a, 'a', 'a Source', ['fetch']);
  assertMethods(b, 'b', 'a Source', ['fetch']);
  const [from, to] = await Promise.all([manifestOf(a), manifestOf(b)]);
  const old = await uniqueLeaves(a, from, new Set(to.chunks.map((c) => c.digest)));
  const now = await uniqueLeaves(b, to, new Set(from.chunks.map((c) => c.digest)));
  const changes: Pair[] = [];
  let i = 0;
  let j = 0;
  while (i < old.leaves.length || j < now.leaves.length) {
    const order = i >= old.leaves.length ? 1 : j >= now.leaves.length ? -1 : compareBytes(old.leaves[i].keyHash, now.leaves[j].keyHash);
    if (order < 0) {
      changes.push({ key: old.leaves[i++].key, value: null });
    } else if (order > 0) {
      const l = now.leaves[j++];
      changes.push({ key: l.key, value: l.value });
    } else {
      const l = now.leaves[j++];
      if (!equalBytes(old.leaves[i++].valueHash, l.valueHash)) changes.push({ key: l.key, value: l.value });
    }
  }
  return { from, to, changes, chunksRead: { from: old.read, to: now.read } };
}

