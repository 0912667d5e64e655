import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'fake-indexeddb/auto';
import { fsStore } from '../src/store/fs.js';
import { idbStore } from '../src/store/idb.js';
import { storeContract } from './store-contract.js';
import { InvalidArgument, StorageFailed } from '../src/errors.js';

const fresh = () => fsStore(mkdtempSync(join(tmpdir(), 'lightsnap-store-')));

describe('the filesystem store', () => {
  storeContract(fresh);

  it('refuses keys that would escape its directory', async () => {
    const s = fresh();
    for (const key of ['../x', 'a/../../b', '/etc/passwd', 'a//b', 'x.partial']) {
      await expect(s.put([[key, new Uint8Array(1)]]), key).rejects.toThrow(InvalidArgument);
    }
  });

  it('ignores a torn temporary file left by a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lightsnap-store-'));
    const s = fsStore(dir);
    await s.put([['chunk/a', new Uint8Array([1])]]);
    writeFileSync(join(dir, 'chunk', 'b.partial'), 'torn');
    expect(await s.keys('chunk/')).toEqual(['chunk/a']);
    expect(await s.get('chunk/b')).toBeUndefined();
    expect(readdirSync(join(dir, 'chunk')).sort()).toEqual(['a', 'b.partial']);
  });

  it('removes temporary files of dead writers before its first write, and keeps those of live ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lightsnap-store-'));
    mkdirSync(join(dir, 'chunks'));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const live = process.ppid;
    writeFileSync(join(dir, 'chunks', `aa.${dead}-0.partial`), 'torn');
    writeFileSync(join(dir, `manifest.json.${dead}-3.partial`), 'torn');
    writeFileSync(join(dir, 'chunks', `bb.${live}-0.partial`), 'being written');
    await fsStore(dir).put([['chunks/cc', new Uint8Array([1])]]);
    expect(readdirSync(join(dir, 'chunks')).sort()).toEqual([`bb.${live}-0.partial`, 'cc']);
    expect(existsSync(join(dir, `manifest.json.${dead}-3.partial`))).toBe(false);
  });

  it('removes the folders a delete empties, up to its root, and writes into them again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lightsnap-store-'));
    const s = fsStore(join(dir, '.', 'store/'));
    const one = new Uint8Array([1]);
    await s.put([['tmp/sort-a/0/0', one], ['tmp/sort-a/0/1', one], ['tmp/sort-a/lease', one], ['tmp/sort-b/0/0', one], ['chunks/c', one]]);
    await s.delete(['tmp/sort-a/0/0', 'tmp/sort-a/0/1', 'tmp/sort-a/lease']);
    expect(readdirSync(join(dir, 'store', 'tmp'))).toEqual(['sort-b']);
    await s.delete(['tmp/sort-b/0/0', 'missing/x']);
    expect(readdirSync(join(dir, 'store')).sort()).toEqual(['chunks']);
    await s.delete(['chunks/c']);
    expect(readdirSync(join(dir, 'store'))).toEqual([]);
    await s.put([['tmp/sort-a/0/0', one]]);
    expect(await s.get('tmp/sort-a/0/0')).toEqual(one);
  });

  it('never fails a write because a concurrent delete removed its (then empty) folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lightsnap-store-'));
    const one = new Uint8Array([1]);
    // Two writers share a folder, each deleting its own entry again: the folder empties and is
    // removed over and over between the other's folder creation and its open.
    const churn = async (name: string) => {
      const s = fsStore(dir);
      for (let i = 0; i < 300; i++) {
        await s.put([[`tmp/shared/${name}`, one]]);
        expect(await s.get(`tmp/shared/${name}`)).toEqual(one);
        await s.delete([`tmp/shared/${name}`]);
      }
    };
    await Promise.all([churn('a'), churn('b'), churn('c')]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lets two stores of one process write the same key at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lightsnap-store-'));
    const [a, b] = [fsStore(dir), fsStore(dir)];
    for (let i = 0; i < 50; i++) {
      await Promise.all([a.put([['manifest.json', new Uint8Array([1])]]), b.put([['manifest.json', new Uint8Array([2])]])]);
    }
    expect(readdirSync(dir)).toEqual(['manifest.json']);
  });

  it('turns OS failures into StorageFailed naming the path', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lightsnap-store-')), 'a-file');
    writeFileSync(file, 'not a directory');
    const s = fsStore(file);
    const err = await s.put([['chunks/x', new Uint8Array(1)]]).catch((e) => e);
    expect(err).toBeInstanceOf(StorageFailed);
    expect(err.message).toMatch(/a-file.*(ENOTDIR|EEXIST)/);
    await expect(s.keys('')).rejects.toThrow(StorageFailed);
    await expect(s.get('chunks/x')).rejects.toThrow(StorageFailed);
  });
});

/** A 1 MiB tmpfs, where this machine lets us mount one (root, as in CI). */
function smallDisk(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'lightsnap-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

describe.skipIf(process.platform !== 'linux')('a full disk', () => {
  it('fails a batch with StorageFailed, leaves nothing of it behind, and works again once there is room', async (ctx) => {
    const disk = smallDisk();
    if (!disk) return ctx.skip();
    try {
      const s = fsStore(join(disk, 'store'));
      const big = new Uint8Array(400 << 10);
      await s.put([['chunks/a', big]]);
      const err = await s.put([['chunks/b', big], ['chunks/c', big], ['proofs/c', new Uint8Array(10)]]).catch((e) => e);
      expect(err).toBeInstanceOf(StorageFailed);
      expect(err.message).toMatch(/disk is full \(ENOSPC\)/);
      expect(readdirSync(join(disk, 'store'), { recursive: true }).map(String).filter((n) => n.includes('.partial'))).toEqual([]);
      expect((await s.keys('')).sort()).toEqual(['chunks/a']);
      // Scratch entries are written in place, and a failed batch of them leaves nothing either.
      const scratch = await s.put([['tmp/0', big], ['tmp/1', big]], { scratch: true }).catch((e) => e);
      expect(scratch).toBeInstanceOf(StorageFailed);
      expect((await s.keys('')).sort()).toEqual(['chunks/a']);
      await s.delete(['chunks/a']);
      await s.put([['chunks/b', big], ['chunks/c', big]]);
      expect((await s.keys('')).sort()).toEqual(['chunks/b', 'chunks/c']);
    } finally {
      execFileSync('umount', [disk]);
      rmSync(disk, { recursive: true, force: true });
    }
  });
});

let n = 0;
describe('the IndexedDB store on fake-indexeddb', () => storeContract(() => idbStore(`t${n++}`)));
