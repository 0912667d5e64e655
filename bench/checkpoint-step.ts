// One step of the checkpoint benchmark, run in its own process so its peak RSS is its own:
//   tsx bench/checkpoint-step.ts make-sorted DIR PAIRS VALUE_BYTES   (a checkpoint from a sorted stream)
//   tsx bench/checkpoint-step.ts create DIR PAIRS                    (1M-pair style: 32-byte keys, 100-byte values, streamed;
//                                                                     LIGHTSNAP_BENCH_MAX_CHUNK_BYTES sets the chunk size limit)
//   tsx bench/checkpoint-step.ts root-of-pairs - PAIRS               (rootOfPairStream of the same pairs)
//   tsx bench/checkpoint-step.ts verify DIR ROOT [WORKERS]
//   tsx bench/checkpoint-step.ts restore DIR ROOT INTO
// Prints one JSON line: { seconds, maxRssMB, ... }.
import { createCheckpoint, createCheckpointFromSorted } from '../src/checkpoint/create.js';
import { restoreCheckpoint, verifyCheckpoint } from '../src/checkpoint/transfer.js';
import { fsStore } from '../src/store/fs.js';
import { dirSource } from '../src/net/dir-source.js';
import { sha256 } from '../src/hash/sha256.js';
import { rootOfPairStream } from '../src/tree/root.js';
import { toHex } from '../src/hex.js';
import { sortedLatest } from '../src/tree/sort.js';
import type { KeyValue } from '../src/format/chunk.js';
import { verifierFor } from '../src/cli/verifier.js';
import { randomBytes } from './harness.js';

const [step, dir, a, b] = process.argv.slice(2);
let t0 = performance.now();
let cpu0 = process.cpuUsage();
let extra: Record<string, unknown> = {};

if (step === 'create' || step === 'root-of-pairs') {
  // The pairs are generated as they are consumed (the caller's input is a stream, not an
  // array), so peak RSS is the creation's own.
  const n = Number(a);
  function* pairs() {
    for (let i = 0; i < n; i++) yield { key: randomBytes(32, 2 * i + 7), value: randomBytes(100, 2 * i + 8) };
  }
  if (step === 'root-of-pairs') {
    extra = { root: toHex(await rootOfPairStream(pairs())) };
  } else {
    const created = await createCheckpoint(pairs(), { store: fsStore(dir), version: 1, maxChunkBytes: Number(process.env.LIGHTSNAP_BENCH_MAX_CHUNK_BYTES ?? 1 << 20) });
    extra = { root: created.manifest.root, chunks: created.manifest.chunks.length, bytes: created.manifest.chunks.reduce((s, x) => s + x.size, 0) };
  }
} else if (step === 'make-sorted') {
  // Keys are hashed and sorted up front (32 bytes each); values are generated as they stream.
  const n = Number(a);
  const valueBytes = Number(b);
  const keyOf = (i: number) => new TextEncoder().encode(`key-${i}`);
  const hashes = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) hashes.set(sha256(keyOf(i)), i * 32);
  const order = sortedLatest(hashes);
  function* leaves(): Generator<KeyValue> {
    for (const i of order) yield { key: keyOf(i), value: randomBytes(valueBytes, i + 1) };
  }
  const created = await createCheckpointFromSorted(leaves(), { store: fsStore(dir), version: 1 });
  extra = { root: created.manifest.root, chunks: created.manifest.chunks.length, bytes: created.manifest.chunks.reduce((s, x) => s + x.size, 0) };
} else if (step === 'verify' || step === 'restore') {
  const workers = step === 'verify' && b ? Number(b) : 0; // verify DIR ROOT WORKERS
  const { verifier, concurrency, close } = await verifierFor(workers);
  // Start and warm the workers before timing: `seconds` is throughput. Their start is reported
  // apart (`startSeconds`): from the sources it includes tsx loading the worker modules, which a
  // user of the built package does not pay (the checkpoint suite times the built CLI for that).
  if ('sha256' in verifier) await Promise.all(Array.from({ length: 2 * workers }, () => (verifier as { sha256(b: Uint8Array): Promise<Uint8Array> }).sha256(new Uint8Array(64))));
  const started = process.cpuUsage(cpu0);
  extra = { startSeconds: (performance.now() - t0) / 1000, startCpuSeconds: (started.user + started.system) / 1e6 };
  t0 = performance.now();
  cpu0 = process.cpuUsage();
  const opts = { sources: [dirSource(dir)], root: a, verifier, concurrency };
  const r = step === 'verify' ? await verifyCheckpoint(opts) : await restoreCheckpoint({ ...opts, store: fsStore(b) });
  await close();
  extra = { ...extra, chunks: r.manifest.chunks.length, bytes: r.manifest.chunks.reduce((s, x) => s + x.size, 0) };
} else {
  console.error(`unknown step ${step}`);
  process.exit(2);
}
const cpu = process.cpuUsage(cpu0);
// CPU of every thread of the process (workers included): the machine may be shared.
console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), ...extra }));
