// The apply step of the changeset benchmark, in its own process so its peak RSS is its own:
//   tsx bench/changeset-step.ts apply DIR PAIRS HEIGHTS CHANGES FIRST_HEIGHT [PER_CALL]
//   tsx bench/changeset-step.ts copy-floor DIR N   (the I/O floor of rewriting N chunk files)
// DIR holds the checkpoint `checkpoint-step.ts create DIR PAIRS` wrote (key i: randomBytes(32,
// 2i + 7), so overwrites and deletes hit existing keys). Each height mixes overwrites of existing
// keys, new keys and deletes (1:1:1 after the first key of each kind), applied with
// applyChangesets, PER_CALL heights per call (default 1: a follower that writes every height's
// checkpoint; more: a node that checkpoints every PER_CALL heights, or catches up). The first
// height of a call states the prevRoot it applies to; the heights after it in the same call state
// none (the bench compares every height's root with the one-per-call run's instead).
// Prints one JSON line per call (its heights' roots included), then a summary line.
import { applyChangesets, currentManifest } from '../src/checkpoint/apply.js';
import { encodeChangeset } from '../src/format/changeset.js';
import { fsStore } from '../src/store/fs.js';
import type { Pair } from '../src/tree/pairs.js';
import { randomBytes } from './harness.js';
import { closeSync, fsyncSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [step, dir, pairsArg, heightsArg, changesArg, firstArg] = process.argv.slice(2);
if (step === 'copy-floor') {
  // The floor of a height that rewrites N chunk files (N = pairsArg): read N of the checkpoint's
  // chunk files, SHA-256 each (node:crypto) and write it to a new file with fsync and rename — no
  // merge, index, covers, proofs or manifest. Prints { seconds, cpuSeconds, files, bytes }.
  const names = readdirSync(join(dir, 'chunks')).slice(0, Number(pairsArg));
  const out = mkdtempSync(join(tmpdir(), 'lightsnap-floor-'));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let bytes = 0;
  for (const name of names) {
    const data = readFileSync(join(dir, 'chunks', name));
    bytes += data.length;
    const digest = createHash('sha256').update(data).digest('hex');
    const fd = openSync(join(out, `${digest}.tmp`), 'w');
    writeSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(join(out, `${digest}.tmp`), join(out, digest));
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, files: names.length, bytes }));
  rmSync(out, { recursive: true, force: true });
  process.exit(0);
}
if (step !== 'apply') {
  console.error(`unknown step ${step}`);
  process.exit(2);
}
const n = Number(pairsArg);
const perCall = Number(process.argv[8] ?? 1);
const existingKey = (i: number) => randomBytes(32, 2 * i + 7);
const store = fsStore(dir);
const heightChanges = (h: number): Pair[] => {
  const values = randomBytes(Number(changesArg) * 100, h);
  return Array.from({ length: Number(changesArg) }, (_, i) => {
    const pick = existingKey((h * 7919 + i * 104_729) % n);
    const kind = i % 3;
    if (kind === 0) return { key: pick, value: values.subarray(i * 100, i * 100 + 100) };
    if (kind === 1) return { key: new TextEncoder().encode(`new-${h}-${i}`), value: values.subarray(i * 100, i * 100 + 100) };
    return { key: pick, value: null };
  });
};
const first = Number(firstArg);
for (let h = first; h < first + Number(heightsArg); h += perCall) {
  const heights = Array.from({ length: Math.min(perCall, first + Number(heightsArg) - h) }, (_, i) => h + i);
  // Each height's changes are made again when applied (as a changeset's pieces are read when
  // applied), so the process holds no more of them than applyChangesets does.
  const sets = heights.map((x) => ({ height: x, changes: { [Symbol.iterator]: () => heightChanges(x)[Symbol.iterator]() } }));
  const before = await currentManifest(store);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const changesets = sets.map(({ height, changes }, i) => ({ metadata: encodeChangeset(height, changes, i === 0 ? { prevRoot: before.root } : {}).metadata, changes }));
  const r = await applyChangesets(store, changesets);
  const cpu = process.cpuUsage(cpu0);
  const checkpointBytes = r.manifest.chunks.reduce((s, c) => s + c.size + c.proofSize, 0);
  const row = JSON.stringify({
    heights: heights.length, seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, systemSeconds: cpu.system / 1e6,
    heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20), rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    chunksWritten: r.heights.reduce((s, x) => s + x.chunksWritten, 0), chunks: r.manifest.chunks.length,
    bytesWritten: r.heights.reduce((s, x) => s + x.bytesWritten, 0), checkpointBytes, roots: r.heights.map((x) => x.root),
  });
  console.log(row);
  console.error(row.replace(/,"roots".*/, '}')); // progress: heights of 1M keys take seconds each on a loaded machine
}
console.log(JSON.stringify({ maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
