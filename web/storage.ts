// The browser's storage for the page: the IndexedDB database restores go into, the quota
// report, and deleting it all.
import type { Store } from '../src/store/store.js';
import { storageReport } from '../src/store/persist.js';
import { formatBytes } from './progress-view.js';

/** Restored state lives in one IndexedDB database per page origin. */
export const STORE_NAME = 'lightsnap-page';

/** "storage: 1.2 MiB used of 10 GiB · persistent", or '' where the browser does not say. */
export async function storageLine(): Promise<string> {
  const r = await storageReport();
  return r.quota === undefined ? ''
    : `storage: ${formatBytes(r.usage ?? 0)} used of ${formatBytes(r.quota)}${r.persisted ? ' · persistent' : ''}`;
}

/** Deletes everything the page stored. */
export async function deleteAll(store: Store): Promise<void> {
  await store.delete(await store.keys(''));
}
