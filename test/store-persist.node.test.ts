import { describe, expect, it } from 'vitest';
import { fits, requestPersistentStorage, storageReport } from '../src/store/persist.js';

describe('storage helpers outside a browser', () => {
  it('report that nothing is known and nothing was granted', async () => {
    expect(await storageReport()).toEqual({ persisted: false, usage: undefined, quota: undefined });
    expect(await requestPersistentStorage()).toBe(false);
    expect(fits({ persisted: false }, 1e15)).toBe(true);
  });
});
