// SHA-256 side by side: lightsnap against node:crypto, hash-wasm, @chainsafe/as-sha256 and
// @noble/hashes, each through its fastest API for the workload. Run: `npm run bench sha256`.
import { createHash } from 'node:crypto';
import { createSHA256 } from 'hash-wasm';
import * as asSha256 from '@chainsafe/as-sha256';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { initSync, sha256, sha256Batch64, sha256BatchPacked } from '../src/index.js';
import { randomBytes, report, type Result } from './harness.js';

const MESSAGES = 1_000_000;
const MERKLE_LEAVES = 1 << 20;

type Hasher = (msg: Uint8Array) => Uint8Array;

/** Hashes each message of a packed list with a one-message-at-a-time API. */
function eachMessage(hash: Hasher, data: Uint8Array, offsets: Uint32Array): Uint8Array {
  const n = offsets.length - 1;
  const out = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) out.set(hash(data.subarray(offsets[i], offsets[i + 1])), i * 32);
  return out;
}

/** Binary Merkle root over 32-byte leaves (a power of two), one level at a time. */
function merkleRoot(leaves: Uint8Array, level: (nodes: Uint8Array) => Uint8Array): Uint8Array {
  let nodes = leaves;
  while (nodes.length > 32) nodes = level(nodes);
  return nodes;
}

function fixedOffsets(n: number, size: number): Uint32Array {
  return Uint32Array.from({ length: n + 1 }, (_, i) => i * size);
}

function randomOffsets(n: number, min: number, max: number): Uint32Array {
  const offsets = new Uint32Array(n + 1);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    offsets[i + 1] = offsets[i] + min + ((x >>> 0) % (max - min + 1));
  }
  return offsets;
}

type Row = [name: string, work: { bytes?: number; items?: number }, fn: () => unknown];

/**
 * Times each row by process CPU time, best of `rounds`, running the rows in turn each round
 * (after one warm-up each). The machine this runs on is shared; CPU time and interleaving keep
 * other processes' load out of the ratios far better than wall time measured row after row.
 */
function measureInterleaved(rows: Row[], rounds = 3): Result[] {
  const best = rows.map(() => Infinity);
  for (let round = -1; round < rounds; round++) {
    rows.forEach(([, , fn], i) => {
      const t0 = process.cpuUsage();
      fn();
      const used = process.cpuUsage(t0);
      if (round >= 0) best[i] = Math.min(best[i], (used.user + used.system) / 1e6);
    });
  }
  return rows.map(([name, work], i) => ({ name, seconds: best[i], bytes: work.bytes ?? 0, items: work.items ?? 0 }));
}

/** "lightsnap is X× the best of <peers>", the figure the targets are stated in. */
function versus(results: Result[], peers: string[]): string {
  const best = results.filter((r) => peers.some((p) => r.name.startsWith(p))).reduce((a, b) => (a.seconds < b.seconds ? a : b));
  return `lightsnap = ${(best.seconds / results[0].seconds).toFixed(2)}× ${best.name}`;
}

export async function run(): Promise<void> {
  const kind = initSync();
  const hw = await createSHA256();
  const hashWasm: Hasher = (m) => hw.init().update(m).digest('binary');
  const nodeCrypto: Hasher = (m) => createHash('sha256').update(m).digest();
  console.log(`\n# SHA-256 (lightsnap core: ${kind}; @chainsafe/as-sha256 SIMD: ${asSha256.simdEnabled})`);
  console.log('\nTimes are process CPU time, best of 3 rounds that run the rows in turn.');

  const bulk = randomBytes(64 << 20, 1);
  const bulkRows = measureInterleaved([
    ['lightsnap sha256', { bytes: bulk.length }, () => sha256(bulk)],
    ['node:crypto', { bytes: bulk.length }, () => nodeCrypto(bulk)],
    ['hash-wasm', { bytes: bulk.length }, () => hashWasm(bulk)],
    ['@chainsafe/as-sha256 digest', { bytes: bulk.length }, () => asSha256.digest(bulk)],
    ['@noble/hashes', { bytes: bulk.length }, () => nobleSha256(bulk)],
  ]);
  report('SHA-256 of one 64 MiB buffer', bulkRows);
  console.log(`\n${versus(bulkRows, ['hash-wasm', '@chainsafe'])} (fastest WASM peer)`);

  const m64 = randomBytes(MESSAGES * 64, 2);
  const o64 = fixedOffsets(MESSAGES, 64);
  const work64 = { bytes: m64.length, items: MESSAGES };
  const asOut = new Uint8Array(MESSAGES * 32);
  const rows64 = measureInterleaved([
    ['lightsnap sha256Batch64', work64, () => sha256Batch64(m64)],
    ['node:crypto (loop)', work64, () => eachMessage(nodeCrypto, m64, o64)],
    ['hash-wasm (loop)', work64, () => eachMessage(hashWasm, m64, o64)],
    ['@chainsafe/as-sha256 hashInto (batch4)', work64, () => asSha256.hashInto(m64, asOut)],
    ['@chainsafe/as-sha256 digest64 (loop)', work64, () => eachMessage(asSha256.digest64, m64, o64)],
    ['@noble/hashes (loop)', work64, () => eachMessage(nobleSha256, m64, o64)],
  ]);
  report(`${MESSAGES.toLocaleString('en-US')} independent 64-byte messages`, rows64);
  console.log(`\n${versus(rows64, ['node', 'hash-wasm', '@chainsafe', '@noble'])} (best peer, fastest API)`);

  const leaves = randomBytes(MERKLE_LEAVES * 32, 3);
  const workTree = { bytes: (MERKLE_LEAVES - 1) * 64, items: MERKLE_LEAVES - 1 };
  const loopLevel = (hash: Hasher) => (nodes: Uint8Array) => eachMessage(hash, nodes, fixedOffsets(nodes.length / 64, 64));
  const treeRows = measureInterleaved([
    ['lightsnap sha256Batch64 per level', workTree, () => merkleRoot(leaves, sha256Batch64)],
    ['node:crypto (loop)', workTree, () => merkleRoot(leaves, loopLevel(nodeCrypto))],
    ['hash-wasm (loop)', workTree, () => merkleRoot(leaves, loopLevel(hashWasm))],
    ['@chainsafe/as-sha256 hashInto per level', workTree, () => merkleRoot(leaves, (nodes) => {
      const next = new Uint8Array(nodes.length / 2);
      asSha256.hashInto(nodes, next);
      return next;
    })],
    ['@noble/hashes (loop)', workTree, () => merkleRoot(leaves, loopLevel(nobleSha256))],
  ]);
  report(`Merkle root of 2^20 32-byte leaves`, treeRows);
  console.log(`\n${versus(treeRows, ['node', 'hash-wasm', '@chainsafe', '@noble'])} (best peer, fastest API)`);

  const offsets = randomOffsets(MESSAGES, 90, 110);
  const small = randomBytes(offsets[MESSAGES], 4);
  const workSmall = { bytes: small.length, items: MESSAGES };
  const smallRows = measureInterleaved([
    ['lightsnap sha256BatchPacked', workSmall, () => sha256BatchPacked(small, offsets)],
    ['node:crypto (loop)', workSmall, () => eachMessage(nodeCrypto, small, offsets)],
    ['hash-wasm (loop)', workSmall, () => eachMessage(hashWasm, small, offsets)],
    ['@chainsafe/as-sha256 digest (loop)', workSmall, () => eachMessage(asSha256.digest, small, offsets)],
    ['@noble/hashes (loop)', workSmall, () => eachMessage(nobleSha256, small, offsets)],
  ]);
  report(`${MESSAGES.toLocaleString('en-US')} messages of 90..110 bytes`, smallRows);
  console.log(`\n${versus(smallRows, ['hash-wasm'])}; ${versus(smallRows, ['node', 'hash-wasm', '@chainsafe', '@noble'])} (best peer)`);
}
