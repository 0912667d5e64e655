// `lightsnap/idb`: restored checkpoints in the browser's IndexedDB, and the storage helpers
// that keep them there.
export { idbStore } from './store/idb.js';
export type { Store } from './store/store.js';
export { requestPersistentStorage, storageReport, fits, type StorageReport } from './store/persist.js';
