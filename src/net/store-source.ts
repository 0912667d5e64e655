// A checkpoint held in a Store, as a Source: restore from one store into another (e.g. a
// checkpoint created in memory, or one already in IndexedDB) with the same code as from HTTP.
import type { Store } from '../store/store.js';
import { notFound, type FetchOptions, type Source } from './source.js';
import { ChunkCorrupted } from '../errors.js';

export function storeSource(store: Store, name = 'store'): Source {
  return {
    name,
    async fetch(path: string, opts: FetchOptions): Promise<Uint8Array> {
      const bytes = await store.get(path);
      if (!bytes) {
        throw notFound(path, `${path} is not in ${name}`, name);
      }
      if (bytes.length > opts.maxBytes) throw new ChunkCorrupted(`${path} is ${bytes.length} bytes, over the ${opts.maxBytes} expected`, { source: name });
      return bytes;
    },
  };
}
