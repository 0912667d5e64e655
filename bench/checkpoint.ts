// Checkpoint benchmarks (issue #4): create and verify 1,000,000 pairs (32-byte keys, 100-byte
// values); verification against `sha256sum` of the same chunk files (the floor: every byte is
// hashed once), in a step process with its pool started before timing and through the built
// CLI (it runs `scripts/build-dist.mjs`), whole process, as a user runs it; restore of a ~1 GB
// checkpoint with its peak RSS. Each step runs in its own process. LIGHTSNAP_BENCH_SCALE=0.1
// runs everything at a tenth of the size.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scale = Number(process.env.LIGHTSNAP_BENCH_SCALE ?? 1);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

function step(...args: string[]): { seconds: number; cpuSeconds: number; maxRssMB: number; root?: string; bytes: number; chunks: number; startSeconds?: number; startCpuSeconds?: number } {
  return JSON.parse(execFileSync(tsx, ['bench/checkpoint-step.ts', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n').at(-1)!);
}

/** Wall and CPU seconds (user + system of its children, from bash's `times`) of a shell command. */
function timedShell(command: string): { seconds: number; cpuSeconds: number } {
  const t0 = performance.now();
  const out = execFileSync('bash', ['-c', `${command}; times`], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  // The last line of `times` is the children's user and system time, e.g. "0m0.412s 0m0.051s".
  const [user, sys] = out.trim().split('\n').at(-1)!.split(' ').map((t) => {
    const [, m, sec] = /(\d+)m([\d.]+)s/.exec(t)!;
    return Number(m) * 60 + Number(sec);
  });
  return { seconds, cpuSeconds: user + sys };
}

/** `sha256sum` over the chunk files: the floor (every byte hashed once). */
function sha256sum(dir: string): { seconds: number; cpuSeconds: number } {
  return timedShell(`cd ${dir}/chunks && ls | xargs sha256sum > /dev/null`);
}

/** `lightsnap verify` from the built package (dist/), the whole process: what a user's cold run costs. */
function cliVerify(dir: string, root: string, workers: string): { seconds: number; cpuSeconds: number } {
  return timedShell(`node bin/lightsnap.js verify ${dir} --root ${root} --workers ${workers} > /dev/null 2>&1`);
}

export async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'lightsnap-bench-'));
  try {
    const n = Math.round(1_000_000 * scale);
    const dir = join(work, 'state');
    const root = step('root-of-pairs', '-', String(n));
    const created = step('create', dir, String(n));
    const mb = (x: { bytes: number }, s: number) => (x.bytes / 1e6 / s).toFixed(0);
    console.log(`\n## Checkpoints: ${n.toLocaleString('en-US')} pairs (32-byte keys, 100-byte values, streamed)\n`);
    console.log('| step | seconds | CPU seconds | MB/s of chunk bytes | peak RSS | vs sha256sum (wall) | vs sha256sum (CPU) |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(`| rootOfPairStream of the same pairs | ${root.seconds.toFixed(2)} | ${root.cpuSeconds.toFixed(2)} | | ${root.maxRssMB} MB | | |`);
    console.log(`| create (${created.chunks} chunks, ${(created.bytes / 1e6).toFixed(0)} MB): ${(created.seconds / root.seconds).toFixed(2)}× rootOfPairStream's wall, ${(created.cpuSeconds / root.cpuSeconds).toFixed(2)}× its CPU | ${created.seconds.toFixed(2)} | ${created.cpuSeconds.toFixed(2)} | ${mb(created, created.seconds)} | ${created.maxRssMB} MB | | |`);
    const floor = sha256sum(dir);
    console.log(`| sha256sum of the chunk files | ${floor.seconds.toFixed(2)} | ${floor.cpuSeconds.toFixed(2)} | ${mb(created, floor.seconds)} | | 1.00× | 1.00× |`);
    const row = (label: string, v: { seconds: number; cpuSeconds: number; maxRssMB?: number }) =>
      console.log(`| ${label} | ${v.seconds.toFixed(2)} | ${v.cpuSeconds.toFixed(2)} | ${mb(created, v.seconds)} | ${v.maxRssMB ? `${v.maxRssMB} MB` : ''} | ${(floor.seconds / v.seconds).toFixed(2)}× | ${(floor.cpuSeconds / v.cpuSeconds).toFixed(2)}× |`);
    const starts: string[] = [];
    for (const workers of ['0', '1', '2']) {
      const v = step('verify', dir, created.root!, workers);
      row(workers === '0' ? 'verify, main thread' : `verify, ${workers} worker${workers === '1' ? '' : 's'} (pool started before timing)`, v);
      if (workers !== '0') starts.push(`${workers}: ${v.startSeconds!.toFixed(2)} s (${v.startCpuSeconds!.toFixed(2)} CPU s)`);
    }
    // The built CLI, whole process (node start, module load, pool start, verify), as a user runs it.
    execFileSync('node', ['scripts/build-dist.mjs'], { stdio: 'inherit' });
    for (const workers of ['0', '2']) row(`\`lightsnap verify --workers ${workers}\` (built CLI, whole process)`, cliVerify(dir, created.root!, workers));
    console.log(`\nPool start and warm-up from the TypeScript sources (tsx in each worker), workers ${starts.join(', ')}.`);
    const big = join(work, 'big');
    const pairs = Math.round(100_000 * scale);
    const made = step('make-sorted', big, String(pairs), '10000');
    const r = step('restore', big, made.root!, join(work, 'restored'));
    console.log(`\n## Restore of a ${(made.bytes / 1e9).toFixed(2)} GB checkpoint (${pairs.toLocaleString('en-US')} pairs of 10 kB, ${made.chunks} chunks)\n`);
    console.log('| step | seconds | MB/s | peak RSS |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(`| create from a sorted stream | ${made.seconds.toFixed(2)} | ${mb(made, made.seconds)} | ${made.maxRssMB} MB |`);
    console.log(`| restore (verify + fsync'd writes) | ${r.seconds.toFixed(2)} | ${mb(made, r.seconds)} | ${r.maxRssMB} MB |`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
