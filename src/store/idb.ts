// A Store in IndexedDB through idb-keyval. `put` is one transaction (idb-keyval's setMany), so
// a chunk and its progress record land together or not at all. Quota and closed-connection
// failures become StorageFailed with nothing counted.
import { createStore, delMany, keys as idbKeys, promisifyRequest, get as idbGet, type UseStore } from 'idb-keyval';
import type { Store } from './store.js';
import { StorageFailed } from '../errors.js';

function describe(err: unknown): string {
  const name = (err as DOMException)?.name;
  if (name === 'QuotaExceededError') return 'the browser storage quota is exhausted (free space or grant persistent storage)';
  if (name === 'InvalidStateError') return 'the IndexedDB connection was closed (another tab upgraded the database, or the browser shut it)';
  return String((err as Error)?.message ?? err);
}

async function guard<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw new StorageFailed(`IndexedDB ${what} failed: ${describe(err)}`, { cause: err });
  }
}

/** A Store in the IndexedDB database `dbName` (object store `kv`). */
export function idbStore(dbName: string): Store {
  const db: UseStore = createStore(dbName, 'kv');
  return {
    get: (key) => guard('read', async () => {
      const v = await idbGet<Uint8Array>(key, db);
      return v === undefined ? undefined : new Uint8Array(v);
    }),
    put: (entries) => guard('write', () => db('readwrite', (kv) => {
      // idb-keyval's setMany lets a put that throws (a detached buffer: DataCloneError) leave
      // the earlier puts to commit; abort so the batch lands whole or not at all.
      try {
        for (const [k, v] of entries) kv.put(v, k);
      } catch (err) {
        kv.transaction.abort();
        throw err;
      }
      return promisifyRequest(kv.transaction);
    })),
    delete: (keys) => guard('delete', () => delMany([...keys], db)),
    keys: (prefix) => guard('listing', async () =>
      (await idbKeys<string>(db)).filter((k) => typeof k === 'string' && k.startsWith(prefix))),
  };
}

