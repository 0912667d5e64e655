// `npm run load`: `lightsnap serve` under load on 127.0.0.1, beside a plain static server
// (Python's http.server) on the same files, with autocannon. LOAD_SECONDS (default 30) per run.
// Reports requests/s, p50/p99 latency, errors and the server's RSS sampled each second; then a
// request's latency while 1,000 idle connections are held open; then 16 concurrent restore
// clients, each checked against the source state. Loopback only; every loop is bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { restoreCheckpoint } from '../src/checkpoint/transfer.js';
import { openCheckpoint } from '../src/checkpoint/query.js';
import { fsStore } from '../src/store/fs.js';
import { memoryStore } from '../src/store/memory.js';
import { httpSource } from '../src/net/http-source.js';
import { parseManifest } from '../src/format/manifest.js';
import { toHex } from '../src/hex.js';

const seconds = Number(process.env.LOAD_SECONDS ?? 30);
const root = join(import.meta.dirname, '..');

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function startServer(kind: 'lightsnap' | 'python', dir: string, port: number): Promise<ChildProcess> {
  const child = kind === 'lightsnap'
    ? spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/run.ts'), 'serve', dir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/manifest.json`).then((r) => r.ok, () => false);
    if (up) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${kind} server did not start`);
}

async function hammer(url: string, paths: string[], connections: number, pid: number) {
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssOf(pid)), 1000);
  let i = 0;
  const result = await autocannon({
    url, connections, duration: seconds,
    requests: [{ setupRequest: (req: { path: string }) => ({ ...req, path: `/${paths[i++ % paths.length]}` }) }],
  });
  clearInterval(sampler);
  return {
    connections,
    requestsPerSecond: Math.round(result.requests.average),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    rssMB: { first: Math.round((samples[0] ?? 0) / 2 ** 20), last: Math.round((samples.at(-1) ?? 0) / 2 ** 20), max: Math.round(Math.max(...samples) / 2 ** 20) },
  };
}

/** Milliseconds for one manifest request while `idle` connections sit open doing nothing. */
async function withIdle(url: string, port: number, idle: number): Promise<{ idleOpen: number; requestMs: number }> {
  const sockets: Socket[] = [];
  await Promise.all(Array.from({ length: idle }, () => new Promise<void>((resolve) => {
    const s = connect(port, '127.0.0.1', () => resolve());
    s.on('error', () => resolve());
    sockets.push(s);
  })));
  const open = sockets.filter((s) => !s.destroyed).length;
  const started = performance.now();
  const ok = (await fetch(`${url}manifest.json`)).ok;
  const requestMs = performance.now() - started;
  for (const s of sockets) s.destroy();
  if (!ok) throw new Error('the request failed with idle connections open');
  return { idleOpen: open, requestMs: Math.round(requestMs * 10) / 10 };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'lightsnap-load-'));
  const pairs = Array.from({ length: 100_000 }, (_, i) => ({
    key: new TextEncoder().encode(`account/${i}`), value: new Uint8Array(200).fill(i & 0xff),
  }));
  const { manifest } = await createCheckpoint(pairs, { store: fsStore(dir), version: 1, maxChunkBytes: 256 << 10 });
  const chunkPaths = manifest.chunks.map((c) => `chunks/${c.digest}`);
  console.log(`checkpoint: ${manifest.chunks.length} chunks, ${(manifest.chunks.reduce((a, c) => a + c.size, 0) / 2 ** 20).toFixed(1)} MiB; ${seconds} s per run`);
  const report: Record<string, unknown> = { date: new Date().toISOString(), seconds, chunks: manifest.chunks.length };
  for (const [kind, port] of [['lightsnap', 18431], ['python', 18432]] as const) {
    const server = await startServer(kind, dir, port);
    const url = `http://127.0.0.1:${port}`;
    try {
      const runs = [];
      for (const connections of [64, 256]) {
        runs.push({ files: 'chunks', ...await hammer(url, chunkPaths, connections, server.pid!) });
        runs.push({ files: 'manifest', ...await hammer(url, ['manifest.json'], connections, server.pid!) });
      }
      for (const r of runs) console.log(kind.padEnd(10), JSON.stringify(r));
      report[kind] = runs;
      if (kind === 'lightsnap') {
        const idle = await withIdle(`${url}/`, port, 1000);
        console.log('lightsnap  with 1,000 idle connections open:', JSON.stringify(idle));
        report.idle = idle;
        const started = performance.now();
        const stores = await Promise.all(Array.from({ length: 16 }, async () => {
          const store = memoryStore();
          await restoreCheckpoint({ sources: [httpSource(`${url}/`)], root: manifest.root, store });
          return store;
        }));
        let correct = 0;
        for (const store of stores) {
          const view = await openCheckpoint(store);
          const m = parseManifest((await store.get('manifest.json'))!);
          const sample = [0, 4_999, 99_999].map((i) => pairs[i]);
          const values = await Promise.all(sample.map((p) => view.get(p.key)));
          if (m.root === manifest.root && values.every((v, j) => toHex(v) === toHex(sample[j].value))) correct++;
        }
        const restores = { clients: 16, correct, seconds: Math.round((performance.now() - started) / 100) / 10 };
        console.log('lightsnap  16 concurrent restores:', JSON.stringify(restores));
        report.restores = restores;
      }
    } finally {
      server.kill('SIGTERM');
    }
  }
  console.log(JSON.stringify(report));
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
