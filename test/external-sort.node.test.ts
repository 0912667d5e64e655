// The external sort's runs in a directory store: nothing left behind, concurrent creates.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
