// Stream checkpoints at the chunker's speed (issue 10, item 5): createStreamCheckpoint of 256 MiB
// into a memory store, beside FastCDC alone, node:crypto alone and the old core-digest pipeline;
// and `lightsnap sha256 FILE` against node:crypto over the same file. Wall time and this
// process's CPU time (all threads: Web Crypto digests run on libuv's pool), best of 3.
// Run: `npm run bench stream`.
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createStreamCheckpoint, fastcdcStream, sha256 } from '../src/index.js';
import { memoryStore } from '../src/store/memory.js';
import { main } from '../src/cli/main.js';
import { randomBytes } from './harness.js';

const SIZE = 256 << 20;
const PIECE = 1 << 20;
const CDC = { kind: 'fastcdc', minSize: 1 << 18, avgSize: 1 << 20, maxSize: 1 << 22 } as const;

interface Row { name: string; wall: number; cpu: number }

function pieces(data: Uint8Array): Uint8Array[] {
  const out = [];
  for (let p = 0; p < data.length; p += PIECE) out.push(data.subarray(p, p + PIECE));
  return out;
}

async function measure(name: string, fn: () => Promise<unknown>): Promise<Row> {
  await fn();
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    const used = process.cpuUsage(c0);
    cpu = Math.min(cpu, (used.user + used.system) / 1e6);
  }
  return { name, wall, cpu };
}

function table(title: string, rows: Row[], bytes: number): void {
  console.log(`\n## ${title}\n`);
  console.log('| implementation | wall | MB/s (wall) | CPU time | MB/s (CPU) | vs first row (wall) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.name} | ${(r.wall * 1000).toFixed(0)} ms | ${(bytes / r.wall / 1e6).toFixed(0)} | ${(r.cpu * 1000).toFixed(0)} ms | ${(bytes / r.cpu / 1e6).toFixed(0)} | ${(rows[0].wall / r.wall).toFixed(2)}× |`);
  }
}

const sink = () => new Writable({ write(_c, _e, cb) { cb(); } });

export async function run(): Promise<void> {
  const data = randomBytes(SIZE, 7);
  table(`Stream checkpoint of ${SIZE >> 20} MiB (FastCDC avg 1 MiB) into a memory store (target ≥ 600 MB/s)`, [
    await measure('node:crypto SHA-256 of the whole stream (the floor)', async () => createHash('sha256').update(data).digest()),
    await measure('FastCDC alone (fastcdcStream, 1 MiB pieces)', async () => { for await (const _ of fastcdcStream(pieces(data), CDC)); }),
    await measure('createStreamCheckpoint, FastCDC', () => createStreamCheckpoint(pieces(data), { store: memoryStore(), chunker: CDC })),
    await measure('createStreamCheckpoint, fixed 1 MiB chunks', () => createStreamCheckpoint(pieces(data), { store: memoryStore(), chunker: { kind: 'fixed', size: 1 << 20 } })),
    await measure('before: fastcdcStream + core sha256 of every chunk', async () => {
      for await (const c of fastcdcStream(pieces(data), CDC)) sha256(c.bytes);
    }),
  ], SIZE);

  const dir = mkdtempSync(join(tmpdir(), 'lightsnap-bench-stream-'));
  try {
    const file = join(dir, 'data.bin');
    writeFileSync(file, data);
    table(`\`lightsnap sha256\` of a ${SIZE >> 20} MiB file (target ≥ 0.9× node:crypto)`, [
      await measure('node:crypto, createReadStream (1 MiB reads) + createHash', async () => {
        const h = createHash('sha256');
        for await (const piece of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(piece);
        return h.digest();
      }),
      await measure('lightsnap sha256 FILE (in-process CLI)', () => main(['sha256', file], { stdout: sink(), stderr: sink(), isTTY: false })),
    ], SIZE);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nLoad average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} CPUs while this ran (the machine is shared).`);
}
