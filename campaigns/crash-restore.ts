// `npm run crash:restore`: `lightsnap restore` killed by SIGKILL at random instants, over and
// over (CRASH_KILLS, default 1000; CRASH_SECONDS, default 1800, whichever ends first; CRASH_SEED).
// Rounds of up to 12 kills each restore a served checkpoint into a fresh folder, then let the
// last run finish. After every round: the folder verifies against the root and holds the
// source's state; no temporary file is left; and from the server's log, no chunk stored before
// a kill was fetched again, and the chunks fetched twice are at most those in flight at the
// kills (the restore runs 4 at a time). Prints a summary line; exits 1 on any violation.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { verifyCheckpoint } from '../src/checkpoint/transfer.js';
import { openCheckpoint } from '../src/checkpoint/query.js';
import { fsStore } from '../src/store/fs.js';
import { dirSource } from '../src/net/dir-source.js';
import { serveDirectory } from '../src/net/serve.js';
import { toHex } from '../src/hex.js';
import { rng } from '../test/helpers.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 1000);
const SECONDS = Number(process.env.CRASH_SECONDS ?? 1800);
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 4;
const root = join(import.meta.dirname, '..');

const files = (dir: string) => existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
const storedChunks = (into: string) => new Set(files(join(into, 'chunks')).filter((f) => !f.includes('.partial')));

async function main(): Promise<number> {
  execFileSync(process.execPath, [join(root, 'scripts/build-dist.mjs')], { stdio: 'inherit' });
  const r = rng(SEED);
  const work = mkdtempSync(join(tmpdir(), 'lightsnap-crash-'));
  const src = join(work, 'source');
  const pairs = Array.from({ length: 20_000 }, (_, i) => ({ key: new TextEncoder().encode(`k${i}`), value: r.bytes(40 + r.int(160)) }));
  const { manifest } = await createCheckpoint(pairs, { store: fsStore(src), version: 1, maxChunkBytes: 16384 });
  const requests: string[] = [];
  const { server, url } = await serveDirectory(src, { onRequest: (i) => requests.push(i.path) });
  console.log(`crash:restore: seed ${SEED}, ${manifest.chunks.length} chunks, up to ${KILLS} kills in ${SECONDS} s`);
  const deadline = Date.now() + SECONDS * 1000;
  let kills = 0;
  let rounds = 0;
  let refetchedAfterStore = 0;
  let fetchedTwice = 0;
  let allowedTwice = 0;
  const violations: string[] = [];
  while (kills < KILLS && Date.now() < deadline && violations.length === 0) {
    rounds++;
    const into = join(work, `round-${rounds}`);
    const fetchedThisRound = new Map<string, number>();
    let done = false;
    for (let attempt = 0; !done; attempt++) {
      const killThisRun = attempt < 12 && kills < KILLS;
      const before = storedChunks(into);
      const logStart = requests.length;
      const child = spawn(process.execPath, [join(root, 'dist/cli/run.js'), 'restore', url, '--root', manifest.root, '--into', into],
        { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => { stderr += String(d); });
      const timer = killThisRun ? setTimeout(() => child.kill('SIGKILL'), r.int(1200)) : undefined;
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      clearTimeout(timer);
      if (code === null) {
        kills++;
        allowedTwice += CONCURRENCY;
      } else if (code === 0) done = true;
      else violations.push(`round ${rounds} run ${attempt} exited ${code}: ${stderr.slice(-500)}`);
      for (const path of requests.slice(logStart)) {
        const m = /\/chunks\/([0-9a-f]{64})$/.exec(path);
        if (!m) continue;
        if (before.has(m[1])) refetchedAfterStore++;
        const n = (fetchedThisRound.get(m[1]) ?? 0) + 1;
        fetchedThisRound.set(m[1], n);
        if (n > 1) fetchedTwice++;
      }
      if (violations.length) break;
    }
    if (violations.length) break;
    // The folder is the source checkpoint, whole, and nothing half-written is left.
    const v = await verifyCheckpoint({ sources: [dirSource(into)], root: manifest.root });
    if (v.fetched !== manifest.chunks.length) violations.push(`round ${rounds}: verified ${v.fetched} of ${manifest.chunks.length} chunks`);
    const view = await openCheckpoint(fsStore(into));
    for (const i of [0, r.int(pairs.length), pairs.length - 1]) {
      if (toHex(await view.get(pairs[i].key)) !== toHex(pairs[i].value)) violations.push(`round ${rounds}: wrong value for k${i}`);
    }
    const partial = files(into).filter((f) => f.endsWith('.partial'));
    if (partial.length) violations.push(`round ${rounds}: ${partial.length} temporary files left: ${partial.slice(0, 3).join(', ')}`);
    if (refetchedAfterStore) violations.push(`${refetchedAfterStore} stored chunks were fetched again`);
    if (fetchedTwice > allowedTwice) violations.push(`${fetchedTwice} chunks fetched twice, more than the ${allowedTwice} in flight at the kills`);
    rmSync(into, { recursive: true, force: true });
    if (rounds % 10 === 0) console.log(`  ${rounds} rounds, ${kills} kills, ${fetchedTwice} chunks fetched twice (≤ ${allowedTwice} in flight)`);
  }
  server.close();
  server.closeAllConnections();
  const summary = { date: new Date().toISOString(), seed: SEED, rounds, kills, chunks: manifest.chunks.length, fetchedTwice, inFlightBound: allowedTwice, refetchedAfterStore, violations: violations.length };
  console.log(JSON.stringify(summary));
  for (const v of violations) console.error(`VIOLATION ${v}`);
  rmSync(work, { recursive: true, force: true });
  return violations.length ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(1); });
