// Browser restore benchmark (issue #5): `npm run bench:browser`. Restores a ~100 MB checkpoint
// with the built page (dist-web/) in headless Chromium — fetch, verify on the worker pool, write
// to IndexedDB — and compares it with the floor: the same chunk and proof files fetched and
// written to IndexedDB by the same page with no verification (one transaction per chunk, as the
// restore writes them), same concurrency. LIGHTSNAP_BENCH_BROWSER_MB sets the size.
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveDirectory } from '../src/net/serve.js';
import { chromiumArgs } from '../vitest.config.js';
import type { Manifest } from '../src/format/manifest.js';

// Runs in the page; kept as text because tsx would wrap its functions in a helper the page lacks.
const FLOOR = `async ({ chunks, base, concurrency }) => {
  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open('floor', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('kv');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const bytes = async (path) => new Uint8Array(await (await fetch(base + path)).arrayBuffer());
  const t0 = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < chunks.length) {
      const i = next++;
      const [chunk, proof] = await Promise.all([bytes('chunks/' + chunks[i].digest), bytes('proofs/' + chunks[i].proof)]);
      await new Promise((resolve, reject) => {
        const tx = db.transaction('kv', 'readwrite');
        const kv = tx.objectStore('kv');
        kv.put(chunk, 'chunks/' + chunks[i].digest);
        kv.put(proof, 'proofs/' + chunks[i].proof);
        kv.put(new Uint8Array(0), 'restore/done/' + i);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return (performance.now() - t0) / 1000;
}`;

const megabytes = Number(process.env.LIGHTSNAP_BENCH_BROWSER_MB ?? 100);
const work = await mkdtemp(join(tmpdir(), 'lightsnap-bench-browser-'));
try {
  execFileSync('node_modules/.bin/vite', ['build', '--logLevel', 'warn'], { stdio: 'inherit' });
  await cp('dist-web', work, { recursive: true });
  const made = JSON.parse(execFileSync('node_modules/.bin/tsx', ['bench/checkpoint-step.ts', 'make-sorted', join(work, 'sample'),
    String(megabytes * 100), '10000'], { encoding: 'utf8' }).trim().split('\n').at(-1)!) as { root: string; bytes: number; chunks: number };
  const { server, url } = await serveDirectory(work);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  try {
    const restore = async () => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${url}?url=${encodeURIComponent(`${url}sample/`)}&root=${made.root}`);
      const t0 = performance.now();
      await page.getByRole('button', { name: 'Restore into this browser' }).click();
      await page.waitForSelector('body[data-done="restore"]', { timeout: 600_000 });
      const seconds = (performance.now() - t0) / 1000;
      const workers = await page.evaluate(() => navigator.hardwareConcurrency);
      await page.context().close();
      return { seconds, workers };
    };
    const floor = async () => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(url);
      const manifest = await (await fetch(`${url}sample/manifest.json`)).json() as Manifest;
      const concurrency = await page.evaluate(() => 2 * (navigator.hardwareConcurrency || 2));
      const args = JSON.stringify({ chunks: manifest.chunks, base: `${url}sample/`, concurrency });
      const seconds = await page.evaluate(`(${FLOOR})(${args})`) as number;
      await page.context().close();
      return seconds;
    };
    const floors = [await floor(), await floor()];
    const restores = [await restore(), await restore()];
    const f = Math.min(...floors);
    const r = Math.min(...restores.map((x) => x.seconds));
    const mb = made.bytes / 1e6;
    console.log(`\n## Browser restore into IndexedDB: ${mb.toFixed(0)} MB, ${made.chunks} chunks, Chromium, ${restores[0].workers} workers (best of 2)\n`);
    console.log('| run | seconds | MB/s | vs floor |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(`| floor: fetch + write to IndexedDB, no verification | ${f.toFixed(2)} | ${(mb / f).toFixed(0)} | 1.00× |`);
    console.log(`| lightsnap page: fetch + verify in workers + write | ${r.toFixed(2)} | ${(mb / r).toFixed(0)} | ${(r / f).toFixed(2)}× |`);
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
