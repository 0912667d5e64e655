// Store writes kept in flight, a bounded number at once: a store syncs each write (the
// filesystem fsyncs every file), and awaited one by one a checkpoint of hundreds of chunk files
// waits on hundreds of fsyncs in a row while the CPU idles.
import type { PutOptions, Store } from './store.js';

export class WriteWindow {
  private readonly writing: Array<Promise<void>> = [];

  constructor(private readonly store: Pick<Store, 'put'>, private readonly limit = 8, private readonly options?: PutOptions) {}

  /** Starts writing `entries`; waits only while `limit` writes are in flight. */
  async put(entries: ReadonlyArray<readonly [string, Uint8Array]>): Promise<void> {
    const write = this.store.put(entries, this.options);
    write.catch(() => {}); // its failure is reported by drain() (or by put, when awaited here)
    this.writing.push(write);
    if (this.writing.length >= this.limit) await this.writing.shift();
  }

  /** Waits for every write; throws the first failure once all have settled. */
  async drain(): Promise<void> {
    const failed = (await Promise.allSettled(this.writing.splice(0))).find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
