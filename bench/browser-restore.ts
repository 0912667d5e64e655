// Browser restore benchmark (issue #5): `npm run bench:browser`. Restores a ~100 MB checkpoint
// with the built page (dist-web/) in headless Chromium — fetch, verify on the worker pool, write
// to IndexedDB — and compares it with the floor: the same files fetched and written to IndexedDB
// by the same page with no verification (FLOOR below: what a restore must write, one transaction
// per chunk), same concurrency. Both are timed in the page. LIGHTSNAP_BENCH_BROWSER_MB sets the
// size, LIGHTSNAP_BENCH_BROWSER_RUNS the runs of each, floor and page alternated (best of;
// default 2).
//
// Beside wall time, each run reports: the page's renderer process (the page, its workers and
// their heaps) — its peak resident memory (VmHWM in /proc, Linux) and CPU seconds (Chromium's
// SystemInfo.getProcessInfo); and whether the cost per chunk stays flat as the store fills —
// milliseconds per chunk over the first and the last 10% of the chunk files served.
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveDirectory } from '../src/net/serve.js';
import { chromiumArgs } from '../vitest.config.js';
import type { Manifest } from '../src/format/manifest.js';

// Runs in the page; kept as text because tsx would wrap its functions in a helper the page lacks.
// The work a restore of a format version 2 checkpoint cannot avoid, without verification: each
// proof pack fetched once (the chunks it serves wait for it), each chunk fetched, then per
// chunk one transaction with the chunk and its progress record holding its proof (a copy: a
// view would store its whole pack), and at the end one transaction writing the packs and the
// manifest and deleting the progress records.
const FLOOR = `async ({ manifest, manifestText, base, concurrency }) => {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open('floor', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('kv');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const transact = (write) => new Promise((resolve, reject) => {
    const tx = db.transaction('kv', 'readwrite');
    write(tx.objectStore('kv'));
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  const bytes = async (path) => new Uint8Array(await (await fetch(base + path)).arrayBuffer());
  const { chunks, proofPacks } = manifest;
  const perPack = 256;
  const packs = new Map();
  const pack = (p) => {
    if (!packs.has(p)) packs.set(p, bytes('proofs/' + proofPacks[p]));
    return packs.get(p);
  };
  const offsets = [];
  for (let i = 0, at = 0; i < chunks.length; i++) {
    if (i % perPack === 0) at = 0;
    offsets.push(at);
    at += chunks[i].proofSize;
  }
  const t0 = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < chunks.length) {
      const i = next++;
      const [chunk, packBytes] = await Promise.all([bytes('chunks/' + chunks[i].digest), pack(Math.floor(i / perPack))]);
      const proof = packBytes.slice(offsets[i], offsets[i] + chunks[i].proofSize);
      await transact((kv) => {
        kv.put(chunk, 'chunks/' + chunks[i].digest);
        kv.put(proof, 'restore/done/' + i);
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const written = await Promise.all(proofPacks.map(pack));
  await transact((kv) => {
    written.forEach((b, p) => kv.put(b, 'proofs/' + proofPacks[p]));
    kv.put(new TextEncoder().encode(manifestText), 'manifest.json');
    kv.delete(IDBKeyRange.bound('restore/done/', 'restore/done/\\uffff'));
  });
  return (performance.now() - t0) / 1000;
}`;

// Times the restore in the page, as the floor is timed: from the click (its event, not the
// harness's call) until the page says it is done. Not from Node: Playwright's waitForSelector
// polls every 500 ms after the first few tries, which added 0–0.5 s to each restore's time.
const TIME_RESTORE = `void (globalThis.benchRestoreSeconds = new Promise((resolve, reject) => {
  let clicked;
  document.addEventListener('click', () => { clicked = performance.now(); }, { capture: true, once: true });
  new MutationObserver(() => {
    const done = document.body.dataset.done;
    if (done === 'restore') resolve((performance.now() - clicked) / 1000);
    if (done === 'error') reject(new Error(document.getElementById('status').textContent));
  }).observe(document.body, { attributes: true, attributeFilter: ['data-done'] });
}))`;

/** Milliseconds per chunk over the first and the last 10% of the chunk files served (`sent`: when each went out). */
function flatness(sent: number[]): { first: number; last: number } {
  const n = Math.max(2, Math.floor(sent.length / 10));
  const per = (a: number, b: number) => (sent[b] - sent[a]) / (b - a);
  return { first: per(0, n - 1), last: per(sent.length - n, sent.length - 1) };
}

interface Renderer { pid: number; cpuSeconds: number; peakMB: number }

/** The busiest renderer process now (the page under test: its context is the only one open). */
async function pageRenderer(cdp: { send(method: 'SystemInfo.getProcessInfo'): Promise<{ processInfo: Array<{ type: string; id: number; cpuTime: number }> }> }): Promise<Renderer> {
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  const renderer = processInfo.filter((p) => p.type === 'renderer').sort((a, b) => b.cpuTime - a.cpuTime)[0];
  const status = await readFile(`/proc/${renderer.id}/status`, 'utf8');
  const peakKB = Number(/VmHWM:\s+(\d+)/.exec(status)![1]);
  return { pid: renderer.id, cpuSeconds: renderer.cpuTime, peakMB: Math.round(peakKB / 1024) };
}

const megabytes = Number(process.env.LIGHTSNAP_BENCH_BROWSER_MB ?? 100);
const work = await mkdtemp(join(tmpdir(), 'lightsnap-bench-browser-'));
try {
  execFileSync('node_modules/.bin/vite', ['build', '--logLevel', 'warn'], { stdio: 'inherit' });
  await cp('dist-web', work, { recursive: true });
  const made = JSON.parse(execFileSync('node_modules/.bin/tsx', ['bench/checkpoint-step.ts', 'make-sorted', join(work, 'sample'),
    String(megabytes * 100), '10000'], { encoding: 'utf8' }).trim().split('\n').at(-1)!) as { root: string; bytes: number; chunks: number };
  // When each chunk file went out: the pace of a run, measured the same way for the floor and the page.
  let sent: number[] = [];
  const { server, url } = await serveDirectory(work, { onRequest: (r) => { if (r.path.includes('/chunks/')) sent.push(performance.now()); } });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  const cdp = await browser.newBrowserCDPSession();
  const runs = Number(process.env.LIGHTSNAP_BENCH_BROWSER_RUNS ?? 2);
  try {
    const restore = async () => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${url}?url=${encodeURIComponent(`${url}sample/`)}&root=${made.root}`);
      await page.waitForSelector('html[data-core]'); // the page's module has run: the button is wired
      await page.evaluate(TIME_RESTORE);
      sent = [];
      await page.getByRole('button', { name: 'Restore into this browser' }).click();
      const seconds = await page.evaluate('globalThis.benchRestoreSeconds') as number;
      const workers = await page.evaluate(() => navigator.hardwareConcurrency);
      const renderer = await pageRenderer(cdp);
      await page.context().close();
      return { seconds, workers, ...flatness(sent), ...renderer };
    };
    const floor = async () => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(url);
      const manifestText = await (await fetch(`${url}sample/manifest.json`)).text();
      const manifest = JSON.parse(manifestText) as Manifest;
      if (!manifest.proofPacks) throw new Error('the floor is written for format version 2 (proof packs)');
      const concurrency = await page.evaluate(() => 2 * (navigator.hardwareConcurrency || 2));
      const args = JSON.stringify({ manifest, manifestText, base: `${url}sample/`, concurrency });
      sent = [];
      const seconds = await page.evaluate(`(${FLOOR})(${args})`) as number;
      const renderer = await pageRenderer(cdp);
      await page.context().close();
      return { seconds, ...flatness(sent), ...renderer };
    };
    const load0 = loadavg()[0];
    const floors = [];
    const restores = [];
    for (let i = 0; i < runs; i++) { // alternated, so a change in the machine's load hits both
      floors.push(await floor());
      restores.push(await restore());
    }
    const load1 = loadavg()[0];
    const best = <T extends { seconds: number }>(xs: T[]) => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const f = best(floors);
    const r = best(restores);
    const mb = made.bytes / 1e6;
    const row = (name: string, x: typeof f) => `| ${name} | ${x.seconds.toFixed(2)} | ${x.cpuSeconds.toFixed(1)} | ${(mb / x.seconds).toFixed(0)} | `
      + `${x.first.toFixed(2)} → ${x.last.toFixed(2)} | ${x.peakMB} | ${(x.seconds / f.seconds).toFixed(2)}× |`;
    console.log(`\n## Browser restore into IndexedDB: ${mb.toFixed(0)} MB, ${made.chunks} chunks, Chromium, ${restores[0].workers} workers (best of ${runs})\n`);
    console.log('| run | seconds | renderer CPU s | MB/s | ms per chunk, first → last 10% | renderer peak MB | vs floor |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(row('floor: fetch + write to IndexedDB, no verification', f));
    console.log(row('lightsnap page: fetch + verify in workers + write', r));
    const all = (xs: Array<{ seconds: number; cpuSeconds: number }>) => xs.map((x) => `${x.seconds.toFixed(2)} s (CPU ${x.cpuSeconds.toFixed(1)})`).join(', ');
    console.log(`\nevery run: floor ${all(floors)}; restore ${all(restores)}`);
    console.log(`renderer peak: floor ${floors.map((x) => x.peakMB).join(', ')} MB; restore ${restores.map((x) => x.peakMB).join(', ')} MB (VmHWM of the page's renderer process)`);
    console.log(`load average (1 min): ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end, on ${availableParallelism()} cores`);
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
