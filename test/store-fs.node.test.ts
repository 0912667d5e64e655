import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'fake-indexeddb/auto';
import { fsStore } from '../src/store/fs.js';
import { idbStore } from '../src/store/idb.js';
import { storeContract } from './store-contract.js';
import { InvalidArgument } from '../src/errors.js';

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
});

let n = 0;
describe('the IndexedDB store on fake-indexeddb', () => storeContract(() => idbStore(`t${n++}`)));
