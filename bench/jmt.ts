// The JMT: roots, range proofs and batch updates. Run: `npm run bench jmt`.
// Peers: a straightforward implementation over node:crypto (one createHash per hash), and the
// library's own bulk SHA-256 as the hashing limit.
import { createHash } from 'node:crypto';
import {
  initSync, sha256, rootOfPairs, RootBuilder, RangeProofBuilder, verifyRangeProof, MemoryTree, type Pair,
} from '../src/index.js';
import { measure, randomBytes, report } from './harness.js';

const PAIRS = 1_000_000;
const KEY = 32;
const VALUE = 100;
const RUN = 256;
const PROOFS = 10_000;
const BATCH = 1_000;

const PLACEHOLDER = Buffer.from('SPARSE_MERKLE_PLACEHOLDER_HASH__');
const LEAF = Buffer.from('JMT::LeafNode');
const INTERNAL = Buffer.from('JMT::IntrnalNode');

function h(...parts: Uint8Array[]): Buffer {
  const c = createHash('sha256');
  for (const p of parts) c.update(p);
  return c.digest();
}

/** What one would write with node:crypto: hash, sort, dedupe, then recurse over the key bits. */
function nodeCryptoRoot(pairs: Pair[]): Buffer {
  const leaves = pairs.map((p, i) => ({ kh: h(p.key), vh: p.value ? h(p.value) : null, i }));
  leaves.sort((a, b) => Buffer.compare(a.kh, b.kh) || a.i - b.i);
  const live = leaves.filter((l, j) => (j + 1 === leaves.length || !leaves[j + 1].kh.equals(l.kh)) && l.vh);
  const bit = (k: Buffer, d: number) => (k[d >> 3] >> (7 - (d & 7))) & 1;
  const node = (lo: number, hi: number, depth: number): Buffer => {
    if (hi === lo) return PLACEHOLDER;
    if (hi - lo === 1) return h(LEAF, live[lo].kh, live[lo].vh!);
    let split = lo;
    while (split < hi && bit(live[split].kh, depth) === 0) split++;
    return h(INTERNAL, node(lo, split, depth + 1), node(split, hi, depth + 1));
  };
  return node(0, live.length, 0);
}

function makePairs(n: number, seed: number): Pair[] {
  const keys = randomBytes(n * KEY, seed);
  const values = randomBytes(n * VALUE, seed + 1);
  return Array.from({ length: n }, (_, i) => ({ key: keys.subarray(i * KEY, (i + 1) * KEY), value: values.subarray(i * VALUE, (i + 1) * VALUE) }));
}

/** Sorted, distinct leaves (keyHash || valueHash) for the engine-only figures. */
function sortedLeaves(n: number): Uint8Array {
  const leaves = randomBytes(n * 64, 5);
  const view = new DataView(leaves.buffer);
  for (let i = 0; i < n; i++) view.setUint32(i * 64, Math.floor((i * 0xffffffff) / n));
  return leaves;
}

export async function run(): Promise<void> {
  const kind = initSync();
  const pairs = makePairs(PAIRS, 11);
  const leafBytes = PAIRS * (KEY + VALUE);

  const ours = rootOfPairs(pairs);
  if (!nodeCryptoRoot(pairs.slice(0, 1000)).equals(rootOfPairs(pairs.slice(0, 1000)))) throw new Error('peer disagrees');
  const bulk = randomBytes(64 << 20, 3);
  report(`JMT root of ${PAIRS.toLocaleString('en-US')} pairs (${KEY}-byte keys, ${VALUE}-byte values; MB/s of key+value bytes), ${kind} core`, [
    await measure('node:crypto, one createHash per hash', { bytes: leafBytes }, () => nodeCryptoRoot(pairs), 1),
    await measure('lightsnap rootOfPairs', { bytes: leafBytes }, () => rootOfPairs(pairs), 2),
    await measure('lightsnap RootBuilder, leaves already hashed and sorted', { bytes: leafBytes }, () => new RootBuilder().addPacked(sortedLeaves(PAIRS)).finish(), 2),
    await measure('hashing limit: lightsnap sha256 of one 64 MiB buffer', { bytes: bulk.length }, () => sha256(bulk), 2),
  ]);
  console.log(`\nroot ${Buffer.from(ours).toString('hex')}`);
  // Wall time on a shared machine also counts waiting; this process's CPU time does not.
  const cpuSeconds = (fn: () => unknown) => {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1e6;
  };
  const peerCpu = cpuSeconds(() => nodeCryptoRoot(pairs));
  const oursCpu = cpuSeconds(() => rootOfPairs(pairs));
  console.log(`\nCPU time, one run each: node:crypto ${peerCpu.toFixed(2)} s, lightsnap rootOfPairs ${oursCpu.toFixed(2)} s: ${(peerCpu / oursCpu).toFixed(1)}× less CPU`);

  // Range proofs: one chunk per 256 leaves of a 1M-leaf tree, verified 10,000 times in turn.
  const leaves = sortedLeaves(PAIRS);
  const builder = new RangeProofBuilder();
  for (let i = 0; i < PAIRS; i++) {
    builder.add(leaves.subarray(i * 64, i * 64 + 32), leaves.subarray(i * 64 + 32, i * 64 + 64));
    if ((i + 1) % RUN === 0) builder.endChunk();
  }
  const { root, chunks } = builder.finish();
  const chunkLeaves = chunks.map((c) => leaves.subarray(c.first * 64, (c.first + c.count) * 64));
  const proofBytes = chunks.reduce((s, c) => s + c.proof.length, 0) / chunks.length;
  report(`range proofs of ${RUN}-leaf runs (${chunks.length} chunks of a ${PAIRS.toLocaleString('en-US')}-leaf tree, mean proof ${proofBytes.toFixed(0)} bytes)`, [
    await measure(`verify ${PROOFS.toLocaleString('en-US')} range proofs`, { items: PROOFS }, () => {
      for (let i = 0; i < PROOFS; i++) {
        const c = chunks[i % chunks.length];
        verifyRangeProof(root, c.lo, c.hi, chunkLeaves[c.index], c.proof);
      }
    }, 1),
    await measure('build: root + a proof per chunk, one pass (items: leaves)', { items: PAIRS }, () => {
      const b = new RangeProofBuilder();
      for (let i = 0; i < PAIRS; i++) {
        b.add(leaves.subarray(i * 64, i * 64 + 32), leaves.subarray(i * 64 + 32, i * 64 + 64));
        if ((i + 1) % RUN === 0) b.endChunk();
      }
      return b.finish();
    }, 1),
  ]);

  // Batch updates: 1,000 changes (updates, inserts, deletes) to a 1M-key tree vs rebuilding.
  const tree = new MemoryTree();
  tree.apply(pairs);
  let seed = 100;
  const nextBatch = (): Pair[] => {
    const fresh = makePairs(BATCH, seed++);
    return fresh.map((p, i) => (i % 3 === 0 ? { key: pairs[(seed * 7919 + i * 104729) % PAIRS].key, value: p.value } : i % 10 === 1 ? { key: pairs[(seed * 31 + i) % PAIRS].key, value: null } : p));
  };
  const batches = Array.from({ length: 4 }, nextBatch);
  let b = 0;
  report(`${BATCH.toLocaleString('en-US')} changes to a ${PAIRS.toLocaleString('en-US')}-key tree`, [
    await measure('full rebuild: rootOfPairs of every pair', { items: PAIRS }, () => rootOfPairs(pairs), 1),
    await measure('full rebuild from leaves already hashed and sorted', { items: PAIRS }, () => new RootBuilder().addPacked(sortedLeaves(PAIRS)).finish(), 1),
    await measure('MemoryTree.apply(batch)', { items: BATCH }, () => tree.apply(batches[b++ % batches.length]), 3),
  ]);
}
