import { describe, expect, it } from 'vitest';
import { idbStore } from '../src/store/idb.js';
import { fits, requestPersistentStorage, storageReport } from '../src/store/persist.js';
import { StorageFailed } from '../src/errors.js';

describe('storage that survives, in Chromium', () => {
  it('reports usage and quota as the browser estimates them', async () => {
    const report = await storageReport();
    const estimate = await navigator.storage.estimate();
    expect(report.quota).toBe(estimate.quota);
    expect(typeof report.usage).toBe('number');
    expect(report.persisted).toBe(await navigator.storage.persisted());
    expect(fits(report, 1)).toBe(true);
    expect(fits(report, report.quota! + 1)).toBe(false);
  });

  it('asks for persistent storage and answers with what the browser granted', async () => {
    const granted = await requestPersistentStorage();
    expect(granted).toBe(await navigator.storage.persisted());
  });

  it('leaves nothing half-written when a write in a batch fails', async () => {
    const store = idbStore(`lightsnap-persist-${Date.now()}`);
    await store.put([['done/0', new Uint8Array([1])]]);
    const detached = new Uint8Array(8); // as a chunk handed to a worker by transfer
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    const err = await store.put([['chunk/1', new Uint8Array(1000)], ['done/1', detached]]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageFailed);
    expect((err as { code: string }).code).toBe('StorageFailed');
    expect(await store.get('chunk/1')).toBeUndefined();
    expect((await store.keys('done/')).sort()).toEqual(['done/0']);
  });
});
