// The apply step of the changeset benchmark, in its own process so its peak RSS is its own:
//   tsx bench/changeset-step.ts apply DIR PAIRS HEIGHTS CHANGES FIRST_HEIGHT
//   tsx bench/changeset-step.ts copy-floor DIR N   (the I/O floor of rewriting N chunk files)
// DIR holds the checkpoint `checkpoint-step.ts create DIR PAIRS` wrote (key i: randomBytes(32,
// 2i + 7), so overwrites and deletes hit existing keys). Each height mixes overwrites of existing
// keys, new keys and deletes (1:1:1 after the first key of each kind), applied with
// applyChangesets and checked against its stated prevRoot.
// Prints one JSON line per height, then a summary line.
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
const existingKey = (i: number) => randomBytes(32, 2 * i + 7);
const store = fsStore(dir);
let next = 0;
for (let h = Number(firstArg); h < Number(firstArg) + Number(heightsArg); h++) {
  const values = randomBytes(Number(changesArg) * 100, h);
  const changes: Pair[] = Array.from({ length: Number(changesArg) }, (_, i) => {
    const pick = existingKey((h * 7919 + i * 104_729) % n);
    const kind = i % 3;
    if (kind === 0) return { key: pick, value: values.subarray(i * 100, i * 100 + 100) };
    if (kind === 1) return { key: new TextEncoder().encode(`new-${h}-${next++}`), value: values.subarray(i * 100, i * 100 + 100) };
    return { key: pick, value: null };
  });
  const before = await currentManifest(store);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { metadata } = encodeChangeset(h, changes, { prevRoot: before.root });
  const r = await applyChangesets(store, [{ metadata, changes }]);
  const cpu = process.cpuUsage(cpu0);
  const checkpointBytes = r.manifest.chunks.reduce((s, c) => s + c.size + c.proofSize, 0);
  const row = JSON.stringify({
    height: h, seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, systemSeconds: cpu.system / 1e6,
    heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20), rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    chunksWritten: r.heights[0].chunksWritten, chunks: r.manifest.chunks.length, bytesWritten: r.heights[0].bytesWritten, checkpointBytes,
  });
  console.log(row);
  console.error(row); // progress: heights of 1M keys take seconds each on a loaded machine
}
console.log(JSON.stringify({ maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
