// The one storage interface lightsnap writes restored checkpoints to. It is deliberately tiny
// (after idb-keyval) so a backend is a page of code: filesystem (Node), IndexedDB (browser),
// memory (tests, short-lived use).

import { assertMethods } from '../assert.js';

/** How a put's entries are to be kept. */
export interface PutOptions {
  /**
   * Scratch entries (an external sort's runs): read back by this process and deleted soon, so a
   * backend need not make them durable, nor keep them whole across a crash (their writer deletes
   * what a crash leaves). The filesystem then writes them in place, with no sync.
   */
  scratch?: boolean;
}

export interface Store {
  /** The bytes under `key`, or undefined. */
  get(key: string): Promise<Uint8Array | undefined>;
  /**
   * Writes all entries atomically where the backend can (IndexedDB: one transaction) and in
   * order otherwise (filesystem: each entry written to a temporary name, synced, renamed), so
   * an entry that is present is always whole. A crash may lose recent entries (until `flush`)
   * but never leaves a torn one (unless `options.scratch`). The store keeps no view of the
   * arrays it is given (it copies or writes them out): once put resolves the caller may reuse them.
   */
  put(entries: ReadonlyArray<readonly [string, Uint8Array]>, options?: PutOptions): Promise<void>;
  /** Makes every entry written so far durable (the filesystem syncs the directories). */
  flush?(): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  /** Every key that starts with `prefix`, in no particular order. */
  keys(prefix: string): Promise<string[]>;
  /** Releases handles; the store must not be used afterwards. */
  close?(): Promise<void>;
}

/** InvalidArgument unless `value` has the methods of a Store. */
export function assertStore(value: unknown, name: string): asserts value is Store {
  assertMethods(value, name, 'a Store', ['get', 'put', 'delete', 'keys']);
}
