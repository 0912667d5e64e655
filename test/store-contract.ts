// The behaviour every Store must have; each backend's test file runs it.
import { expect, it } from 'vitest';
import type { Store } from '../src/store/store.js';

export function storeContract(make: () => Promise<Store> | Store): void {
  it('stores, lists by prefix, reads back and deletes', async () => {
    const s = await make();
    expect(await s.get('chunk/a')).toBeUndefined();
    await s.put([['chunk/a', new Uint8Array([1, 2, 3])], ['done/0', new Uint8Array(0)], ['manifest', new Uint8Array([9])]]);
    expect([...(await s.get('chunk/a'))!]).toEqual([1, 2, 3]);
    expect((await s.get('done/0'))!.length).toBe(0);
    expect((await s.keys('chunk/')).sort()).toEqual(['chunk/a']);
    expect((await s.keys('')).sort()).toEqual(['chunk/a', 'done/0', 'manifest']);
    await s.delete(['chunk/a', 'missing']);
    expect(await s.get('chunk/a')).toBeUndefined();
    expect(await s.keys('chunk/')).toEqual([]);
    await s.close?.();
  });

  it('keeps scratch entries (put with { scratch: true }) like any other while it runs', async () => {
    const s = await make();
    const bytes = new Uint8Array(70_000).fill(3);
    await s.put([['tmp/run/0', bytes], ['tmp/run/1', new Uint8Array([4])]], { scratch: true });
    bytes[0] = 0;
    expect((await s.get('tmp/run/0'))!.every((b) => b === 3)).toBe(true);
    expect((await s.keys('tmp/')).sort()).toEqual(['tmp/run/0', 'tmp/run/1']);
    await s.delete(['tmp/run/0', 'tmp/run/1']);
    expect(await s.keys('')).toEqual([]);
    await s.close?.();
  });

  it('overwrites, and does not alias the caller\'s bytes', async () => {
    const s = await make();
    const bytes = new Uint8Array([5, 5]);
    await s.put([['k', bytes]]);
    bytes[0] = 0;
    expect([...(await s.get('k'))!]).toEqual([5, 5]);
    await s.put([['k', new Uint8Array(100_000).fill(7)]]);
    expect((await s.get('k'))!.length).toBe(100_000);
    await s.close?.();
  });
}
