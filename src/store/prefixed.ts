// A Store seen through a key prefix: several checkpoints (a genesis, a state being built, a
// journal) live side by side in one backend (a directory, one IndexedDB database), and each
// part of the code sees only its own keys.
import { assertStore, type Store } from './store.js';
import { assertString } from '../assert.js';

export function prefixedStore(store: Store, prefix: string): Store {
  assertStore(store, 'store');
  assertString(prefix, 'prefix');
  return {
    get: (key) => store.get(prefix + key),
    put: (entries, options) => store.put(entries.map(([k, v]) => [prefix + k, v] as const), options),
    flush: store.flush && (() => store.flush!()),
    delete: (keys) => store.delete(keys.map((k) => prefix + k)),
    keys: async (p) => (await store.keys(prefix + p)).map((k) => k.slice(prefix.length)),
  };
}
