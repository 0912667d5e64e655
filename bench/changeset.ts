// Changeset benchmark (issue #11): on a checkpoint of 1,000,000 pairs (32-byte keys, 100-byte
// values, default 1 MiB chunking), apply HEIGHTS heights of 1,000 random changes each, then
// HEIGHTS of 10, and compare each height with rebuilding the checkpoint from scratch (the
// create step, same state size). Each size runs twice from the same state: one height per call
// (a follower that writes every height's checkpoint), and all HEIGHTS in one call (held in
// memory, each root computed and compared with the first run's, the files written once). Per
// height: wall and CPU time, bytes written against the checkpoint's size; peak RSS of the
// applying process. The first height also builds the leaf-hash index and the covers file (it
// reads every chunk once), so it is applied and reported apart.
// The last row is the floor of a 1,000-change height: only copying (read, hash, write with fsync)
// as many chunk files as its median height rewrote.
// LIGHTSNAP_BENCH_SCALE scales the pairs, LIGHTSNAP_BENCH_HEIGHTS the heights (default 100),
// LIGHTSNAP_BENCH_MAX_CHUNK_BYTES the checkpoint's chunk size limit (default 1 MiB; the create step reads it).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scale = Number(process.env.LIGHTSNAP_BENCH_SCALE ?? 1);
const heights = Number(process.env.LIGHTSNAP_BENCH_HEIGHTS ?? 100);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

const run_ = (script: string, ...args: string[]) => execFileSync(tsx, [script, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] })
  .trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));

interface Height { heights: number; seconds: number; cpuSeconds: number; chunksWritten: number; chunks: number; bytesWritten: number; checkpointBytes: number; roots: string[] }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'lightsnap-bench-cs-'));
  try {
    const n = Math.round(1_000_000 * scale);
    const dir = join(work, 'state');
    const heldDir = join(work, 'held');
    const [created] = run_('bench/checkpoint-step.ts', 'create', dir, String(n));
    const maxChunk = Number(process.env.LIGHTSNAP_BENCH_MAX_CHUNK_BYTES ?? 1 << 20);
    console.log(`\n## Changesets: ${n.toLocaleString('en-US')} pairs (32-byte keys, 100-byte values), max chunk ${maxChunk / 1024} KiB, ${created.chunks} chunks, ${(created.bytes / 1e6).toFixed(0)} MB`);
    console.log(`\nRebuild from scratch (createCheckpoint of the whole state): ${created.seconds.toFixed(2)} s wall, ${created.cpuSeconds.toFixed(2)} s CPU, peak RSS ${created.maxRssMB} MB.\n`);
    console.log('| changes per height | heights per call | heights | median s / height (wall) | median CPU s | mean chunk files written / height | mean MB written / height (% of checkpoint) | speed vs rebuild (wall, CPU) | peak RSS |');
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    const ratio = (wall: number, cpu: number) => `${(created.seconds / wall).toFixed(1)}×, ${(created.cpuSeconds / cpu).toFixed(1)}×`;
    // The first height also builds the leaf-hash index and the covers file (it reads every chunk
    // once): applied alone, then the directory is copied for the held run.
    const [h0] = run_('bench/changeset-step.ts', 'apply', dir, String(n), '1', '1000', '2') as Height[];
    console.log(`| 1000 (first height: builds the leaf-hash index and covers) | 1 | 1 | ${h0.seconds.toFixed(2)} | ${h0.cpuSeconds.toFixed(2)} | ${h0.chunksWritten} | ${(h0.bytesWritten / 1e6).toFixed(1)} (${(100 * h0.bytesWritten / h0.checkpointBytes).toFixed(0)}%) | ${ratio(h0.seconds, h0.cpuSeconds)} | |`);
    cpSync(dir, heldDir, { recursive: true });
    let first = 3;
    let floorRow = '';
    for (const changes of [1000, 10]) {
      // A follower that writes every height's checkpoint: one height per call.
      const rows = run_('bench/changeset-step.ts', 'apply', dir, String(n), String(heights), String(changes), String(first));
      const rss = rows.pop().maxRssMB;
      const hs = rows as Height[];
      const wall = median(hs.map((h) => h.seconds));
      const cpu = median(hs.map((h) => h.cpuSeconds));
      const written = mean(hs.map((h) => h.bytesWritten));
      if (changes === 1000) {
        const [floor] = run_('bench/changeset-step.ts', 'copy-floor', dir, String(Math.round(median(hs.map((h) => h.chunksWritten)))));
        floorRow = `| copy floor: ${floor.files} chunk files read, hashed, written (fsync) — nothing else | | | ${floor.seconds.toFixed(3)} | ${floor.cpuSeconds.toFixed(3)} | ${floor.files} | ${(floor.bytes / 1e6).toFixed(1)} | ${ratio(floor.seconds, floor.cpuSeconds)} | |`;
      }
      console.log(`| ${changes} | 1 | ${hs.length} | ${wall.toFixed(3)} | ${cpu.toFixed(3)} | ${mean(hs.map((h) => h.chunksWritten)).toFixed(1)} of ${hs.at(-1)!.chunks} | ${(written / 1e6).toFixed(1)} (${(100 * written / hs.at(-1)!.checkpointBytes).toFixed(1)}%) | ${ratio(wall, cpu)} | ${rss} MB |`);
      // The same heights in one call: held in memory, every root computed, the files written once.
      const held = run_('bench/changeset-step.ts', 'apply', heldDir, String(n), String(heights), String(changes), String(first), String(heights));
      const heldRss = held.pop().maxRssMB;
      const [call] = held as Height[];
      const liveRoots = hs.flatMap((h) => h.roots);
      if (call.roots.join() !== liveRoots.join()) throw new Error(`held heights gave other roots than heights written one by one (changes ${changes})`);
      const per = (x: number) => x / call.heights;
      console.log(`| ${changes} | ${call.heights} (held, written once) | ${call.heights} | ${per(call.seconds).toFixed(3)} | ${per(call.cpuSeconds).toFixed(3)} | ${per(call.chunksWritten).toFixed(1)} | ${(per(call.bytesWritten) / 1e6).toFixed(2)} (${(100 * per(call.bytesWritten) / call.checkpointBytes).toFixed(2)}%) | ${ratio(per(call.seconds), per(call.cpuSeconds))} | ${heldRss} MB |`);
      first += heights;
    }
    console.log(floorRow);
    console.log('\nEvery held height\'s root equals the root of the same height applied alone (checked).');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
