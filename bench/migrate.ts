// Migration benchmarks (issue #12): the genesis restore of a migration against a plain restore
// of the same checkpoint; then following heights of random changes (60% overwrites, 30% new
// keys, 10% deletes) — caught-up throughput (the producer has recorded every height) and live
// lag (the producer records one height every INTERVAL ms while the follower follows).
// Each side runs in its own process. Sizes: MIGRATE_BENCH_GENESIS keys (default 1,000,000),
// MIGRATE_BENCH_HEIGHTS (200) × MIGRATE_BENCH_CHANGES (1,000), MIGRATE_BENCH_INTERVAL ms (500).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

interface StepResult { seconds: number; cpuSeconds: number; maxRssMB: number; followSeconds?: number; lines: Array<{ height: number; at: number }> }

function parse(out: string): StepResult {
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  return { ...lines.at(-1), lines: lines.slice(0, -1) };
}

function step(...args: string[]): StepResult {
  return parse(execFileSync(tsx, ['bench/migrate-step.ts', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 }));
}

function stepAsync(...args: string[]): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['bench/migrate-step.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.on('exit', (code) => code === 0 ? resolve(parse(out)) : reject(new Error(`step ${args[0]} exited ${code}`)));
  });
}

export async function run(): Promise<void> {
  const keys = env('MIGRATE_BENCH_GENESIS', 1_000_000);
  const heights = env('MIGRATE_BENCH_HEIGHTS', 200);
  const changes = env('MIGRATE_BENCH_CHANGES', 1000);
  const interval = env('MIGRATE_BENCH_INTERVAL', 500);
  const work = mkdtempSync(join(tmpdir(), 'lightsnap-bench-migrate-'));
  try {
    const dir = join(work, 'old');
    const into = join(work, 'new');
    const half = Math.floor(heights / 2);
    const genesis = step('genesis', dir, String(keys), String(heights));
    const plain = step('restore', dir, join(work, 'plain'));
    const started = step('start', dir, into);
    // Caught up: the first half of the heights is recorded, then followed in one go.
    const produced = step('produce', dir, String(half), String(changes), '0');
    const synced = step('sync', dir, into);
    // Live: the producer records the second half one height every `interval` ms while the
    // follower follows to the end height and switches.
    const [live, follow] = await Promise.all([
      stepAsync('produce', dir, String(heights - half), String(changes), String(interval)),
      stepAsync('follow', dir, into),
    ]);
    const recorded = new Map(live.lines.map((l) => [l.height, l.at]));
    const lags = follow.lines.filter((l) => recorded.has(l.height)).map((l) => l.at - recorded.get(l.height)!).sort((x, y) => x - y);
    const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))];
    const applied = synced.lines.length;
    const rate = (n: number, s: number) => (n / s).toFixed(1);
    console.log(`\n## Migrations: ${keys.toLocaleString('en-US')}-key genesis, ${heights} heights × ${changes.toLocaleString('en-US')} changes\n`);
    console.log('| step | wall s | CPU s | peak RSS | rate |');
    console.log('| --- | ---: | ---: | ---: | --- |');
    console.log(`| old side: declare + genesis checkpoint | ${genesis.seconds.toFixed(2)} | ${genesis.cpuSeconds.toFixed(2)} | ${genesis.maxRssMB} MB | |`);
    console.log(`| plain \`restore\` of the genesis checkpoint | ${plain.seconds.toFixed(2)} | ${plain.cpuSeconds.toFixed(2)} | ${plain.maxRssMB} MB | 1.00× |`);
    console.log(`| \`MigrationManager.start\`: genesis restore | ${started.seconds.toFixed(2)} | ${started.cpuSeconds.toFixed(2)} | ${started.maxRssMB} MB | ${(plain.seconds / started.seconds).toFixed(2)}× the plain restore's speed |`);
    console.log(`| old side: record ${half} heights | ${produced.seconds.toFixed(2)} | ${produced.cpuSeconds.toFixed(2)} | ${produced.maxRssMB} MB | ${rate(half, produced.seconds)} heights/s |`);
    console.log(`| follower, caught up: apply ${applied} recorded heights | ${synced.followSeconds!.toFixed(2)} | ${synced.cpuSeconds.toFixed(2)} | ${synced.maxRssMB} MB | ${rate(applied, synced.followSeconds!)} heights/s, ${rate(applied * changes, synced.followSeconds!)} changes/s |`);
    console.log(`| follower, live: ${heights - half} heights, one every ${interval} ms | ${follow.followSeconds!.toFixed(2)} | ${follow.cpuSeconds.toFixed(2)} | ${follow.maxRssMB} MB | lag after the producer recorded a height: median ${pct(0.5)} ms, p90 ${pct(0.9)} ms, max ${lags.at(-1)} ms |`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
