// The external sort's runs in a directory store: nothing left behind, concurrent creates.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { sweepStaleSorts } from '../src/checkpoint/sort-space.js';
import { join } from 'node:path';
import { createCheckpoint } from '../src/checkpoint/create.js';
import { fsStore } from '../src/store/fs.js';
import type { Pair } from '../src/tree/pairs.js';
import { hex, rng } from './helpers.js';
import { refRoot } from './jmt-reference.js';

const enc = new TextEncoder();

function churn(seed: number, n: number, keys: number): Pair[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => ({ key: enc.encode(`k${r.int(keys)}`), value: r.int(5) === 0 ? null : r.bytes(r.int(60)) }));
}

async function* slowly(pairs: Pair[]): AsyncGenerator<Pair> {
  for (const p of pairs) yield p;
}

const dirs: string[] = [];
const freshDir = () => {
  dirs.push(mkdtempSync(join(tmpdir(), 'lightsnap-sort-')));
  return dirs.at(-1)!;
};
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('the external sort in a directory store', () => {
  it('sweeps at once the runs of a sort whose process on this host has ended, and no others', async () => {
    const store = fsStore(freshDir());
    const gone = spawnSync(process.execPath, ['-e', '']).pid!; // exited before spawnSync returns
    const piece = new Uint8Array(100);
    const lease = (pid: number, host = hostname()) => enc.encode(`${Date.now()} ${pid} ${host}`);
    await store.put([
      ['tmp/sort-dead/lease', lease(gone)], ['tmp/sort-dead/0/0', piece],
      ['tmp/sort-me/lease', lease(process.pid)], ['tmp/sort-me/0/0', piece],
      ['tmp/sort-elsewhere/lease', lease(gone, `${hostname()}-other`)], ['tmp/sort-elsewhere/0/0', piece],
      ['tmp/sort-timeonly/lease', enc.encode(String(Date.now()))], ['tmp/sort-timeonly/0/0', piece],
    ]);
    await sweepStaleSorts(store);
    expect((await store.keys('tmp/')).sort()).toEqual([
      'tmp/sort-elsewhere/0/0', 'tmp/sort-elsewhere/lease', 'tmp/sort-me/0/0', 'tmp/sort-me/lease',
      'tmp/sort-timeonly/0/0', 'tmp/sort-timeonly/lease',
    ]);
  });

  it('leaves no tmp/ folder behind', async () => {
    const dir = freshDir();
    const pairs = churn(8, 1500, 900);
    const created = await createCheckpoint(pairs, { store: fsStore(dir), version: 1, sortRunBytes: 2048 });
    expect(created.manifest.root).toBe(hex(refRoot(pairs)));
    expect(existsSync(join(dir, 'tmp'))).toBe(false);
  });

  it('runs two creates into one directory at once, each with its own runs', async () => {
    const dir = freshDir();
    const a = churn(10, 1200, 800);
    const b = churn(11, 1200, 800);
    const [x, y] = await Promise.all([
      createCheckpoint(slowly(a), { store: fsStore(dir), version: 1, sortRunBytes: 2048, maxChunkBytes: 4096 }),
      createCheckpoint(slowly(b), { store: fsStore(dir), version: 2, sortRunBytes: 2048, maxChunkBytes: 4096 }),
    ]);
    expect(x.manifest.root).toBe(hex(refRoot(a)));
    expect(y.manifest.root).toBe(hex(refRoot(b)));
    expect(readdirSync(dir).sort()).toEqual(['chunks', 'manifest.json', 'manifests', 'proofs']);
  });
});
