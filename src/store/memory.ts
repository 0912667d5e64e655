import type { Store } from './store.js';

/** A Store in a Map: for tests and short-lived restores. Values are copied in and out. */
export function memoryStore(): Store {
  const map = new Map<string, Uint8Array>();
  return {
    async get(key) {
      const v = map.get(key);
      return v && v.slice();
    },
    async put(entries) {
      for (const [k, v] of entries) map.set(k, v.slice());
    },
    async delete(keys) {
      for (const k of keys) map.delete(k);
    },
    async keys(prefix) {
      return [...map.keys()].filter((k) => k.startsWith(prefix));
    },
  };
}
